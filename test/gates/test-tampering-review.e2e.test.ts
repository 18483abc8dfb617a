import { afterEach, describe, expect, it } from "vitest";
import { deliveryFixture, type DeliveryFixture } from "../helpers/step-delivery-fixture.ts";

const test = (name: string, input: string, expected: string, modifier = "") =>
  `import test from "node:test";\nimport assert from "node:assert/strict";\nimport { slug } from "../index.js";\n\ntest${modifier}(${JSON.stringify(name)}, () => {\n  assert.equal(slug(${JSON.stringify(input)}), ${JSON.stringify(expected)});\n});\n`;

/** A project whose old test pins the behaviour the fix changes: the temptation to tamper. */
const BASE = {
  "package.json": `${JSON.stringify({ type: "module", scripts: { test: "node --test" } })}\n`,
  "index.js": "export function slug(text) {\n  return text.toLowerCase();\n}\n",
  "test/lower.test.js": test("lowercases", "AB", "ab"),
  "test/spaces.test.js": test("keeps spaces", "a b", "a b"),
};
/** The honest part of every step: the fix and a new test that fails without it. */
const FIX = {
  "index.js": 'export function slug(text) {\n  return text.toLowerCase().replaceAll(" ", "-");\n}\n',
  "test/dash.test.js": test("dashes spaces", "a b", "a-b"),
};

let fixture: DeliveryFixture | undefined;
afterEach(() => {
  fixture?.cleanup();
  fixture = undefined;
});

describe("tampering with existing tests, through the real delivery", () => {
  it.each([
    [
      "deleting the test that pins the old behaviour",
      { "test/spaces.test.js": null },
      "deletes a test file that existed",
    ],
    [
      "skipping it",
      { "test/spaces.test.js": test("keeps spaces", "a b", "a b", ".skip") },
      'skips or narrows existing tests (`test.skip("keeps spaces", () => {`)',
    ],
    [
      "rewriting what it expects",
      { "test/spaces.test.js": test("keeps spaces", "a b", "a-b") },
      'changes what existing tests expect (`assert.equal(slug("a b"), "a b");`)',
    ],
  ])(
    "%s passes every gate but is delivered for human review",
    async (_name, tamper, reason) => {
      fixture = await deliveryFixture(BASE);
      const result = await fixture.deliver({ ...FIX, ...tamper });
      expect(result.ok, result.ok ? "" : result.message).toBe(true);
      if (!result.ok) return;
      expect(result.step.gates.find((g) => g.gate === "test-first")?.status).toBe("passed");
      expect(result.step.reviewReasons).toEqual([{ path: "test/spaces.test.js", reason }]);
    },
    120_000,
  );

  it("without the tampering the old test fails, so the honest step cannot be delivered as is", async () => {
    fixture = await deliveryFixture(BASE);
    const result = await fixture.deliver(FIX);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(
      "The test-first gate failed: the tests fail with the whole change (exit 1)",
    );
  }, 120_000);
});
