import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";

const root = new URL("../../", import.meta.url);
const manifest = parse(readFileSync(new URL("app.yml", root), "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};
const readme = readFileSync(new URL("README.md", root), "utf8");
// The README's registration step, which promises what `app.yml` asks for.
const setupStep = readme.slice(
  readme.indexOf("**Register GitHub App**"),
  readme.indexOf("3. Install the app"),
);

const names: Record<string, string> = {
  contents: "contents",
  issues: "issues",
  pull_requests: "pull requests",
  checks: "checks",
  statuses: "commit statuses",
  metadata: "metadata",
};

describe("the App manifest and the README", () => {
  it("name the same permissions and events", () => {
    for (const permission of Object.keys(manifest.default_permissions)) {
      expect(names[permission], `README name for ${permission}`).toBeDefined();
      expect(setupStep).toContain(names[permission]);
    }
    for (const event of manifest.default_events) expect(setupStep).toContain(`\`${event}\``);
  });

  it("ask for no workflows permission, and the agent may not change workflows", () => {
    expect(manifest.default_permissions).not.toHaveProperty("workflows");
    expect(setupStep).toContain("no `workflows` permission");
    const everything = new PathPolicy({ write: ["**"], read_only: [], forbidden: [], require_review: [] });
    expect(everything.writeViolation(".github/workflows/ci.yml")).toContain("no `workflows` permission");
  });
});
