import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";

// That the README's permission and event tables equal app.yml is checked in test/docs/permissions.test.ts.
const root = new URL("../../", import.meta.url);
const manifest = parse(readFileSync(new URL("app.yml", root), "utf8")) as {
  default_permissions: Record<string, string>;
};
const readme = readFileSync(new URL("README.md", root), "utf8");

describe("the App manifest and the README", () => {
  it("ask for no workflows permission, and the agent may not change workflows", () => {
    expect(manifest.default_permissions).not.toHaveProperty("workflows");
    expect(readme).toContain("no `workflows` permission");
    const everything = new PathPolicy({ write: ["**"], read_only: [], forbidden: [], require_review: [] });
    expect(everything.writeViolation(".github/workflows/ci.yml")).toContain("no `workflows` permission");
  });
});
