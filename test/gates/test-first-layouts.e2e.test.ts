import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { GO_MODULE, RUNNABLE_LAYOUTS, type LayoutFixture } from "../fixtures/test-layouts.ts";
import { deliveryFixture, type DeliveryFixture } from "../helpers/step-delivery-fixture.ts";

let fixture: DeliveryFixture | undefined;
afterEach(() => {
  fixture?.cleanup();
  fixture = undefined;
});

function has(tool: string): boolean {
  try {
    execFileSync("bash", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const firstWord = (layout: LayoutFixture) => layout.command.split(" ")[0]!;

describe("test-first on real project layouts, with the detected command and the real runner", () => {
  it.each(RUNNABLE_LAYOUTS.map((layout) => [layout.name, layout] as const))(
    "%s",
    async (_name, layout) => {
      // Every runner these layouts use is installed on this machine; a missing one is a failure.
      expect(has(firstWord(layout)), `${firstWord(layout)} is installed`).toBe(true);
      fixture = await deliveryFixture(layout.base);
      expect(fixture.tests.command).toBe(layout.command);
      expect(fixture.tests.source).toMatch(/^detected from /);

      const result = await fixture.deliver(layout.step);

      expect(result.ok, result.ok ? "" : result.message).toBe(true);
      if (!result.ok) return;
      const gate = result.step.gates.find((g) => g.gate === "test-first")!;
      expect(gate.status).toBe("passed");
      expect(gate.detail).toBe(
        `\`${layout.command}\` (${fixture.tests.source}) failed before the change (exit ${/exit (\d+)/.exec(gate.excerpts![0]!.title)![1]}) and passes with it`,
      );
      const [before, after] = gate.excerpts!;
      expect(before!.title).toContain("on the base commit with only the test changes");
      expect(before!.text).toMatch(layout.failsWith);
      expect(after!.title).toContain("with the whole change (exit 0)");
      // A new test beside the existing ones is not tampering.
      expect(result.step.reviewReasons).toEqual([]);
    },
    240_000,
  );

  it("recognises *_test.go and detects `go test ./...`; with no go toolchain the verdict is not verified, never passed", async () => {
    fixture = await deliveryFixture(GO_MODULE.base);
    expect(fixture.tests).toEqual({ command: "go test ./...", source: "detected from `go.mod`" });
    const result = await fixture.deliver(GO_MODULE.step);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const gate = result.step.gates.find((g) => g.gate === "test-first")!;
    if (has("go")) {
      expect(gate.status).toBe("passed");
      return;
    }
    expect(gate).toMatchObject({
      status: "not_verified",
      detail: "`go test ./...` (detected from `go.mod`) could not be run (exit 127: command not found)",
      fix: "Install the test runner in `setup.commands`, or set `gates.tests.command` to a command the sandbox has.",
    });
  });

  it("refuses a step whose test already passes on the base commit, in a root test.js", async () => {
    const layout = RUNNABLE_LAYOUTS[0]!;
    fixture = await deliveryFixture(layout.base);
    const result = await fixture.deliver({
      "test.js": `${layout.base["test.js"]}\ntest("again", () => {});\n`,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(
      "The test-first gate failed: the tests already pass on the base commit with only the test changes applied",
    );
  });
});
