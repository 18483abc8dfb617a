import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../../src/guardrails/paths/path-policy.ts";

const policy = new PathPolicy(
  parseAgentConfig({
    paths: {
      write: ["src/**", "tests/**", "migrations/**", "package.json"],
      read_only: ["docs/**"],
      forbidden: ["config/**", ".env*"],
      require_review: ["migrations/**"],
    },
  }).paths,
);

describe("PathPolicy", () => {
  it.each([
    ["src/a.ts", "write"],
    ["src/deep/b.ts", "write"],
    ["tests/a.test.ts", "write"],
    ["docs/guide.md", "read"],
    ["README.md", "read"],
    ["config/secrets.yml", "none"],
    [".env", "none"],
    [".env.local", "none"],
    // Rules that take access away hold in any letter case.
    [".ENV", "none"],
    ["CONFIG/secrets.yml", "none"],
    ["DOCS/guide.md", "read"],
    ["SRC/a.ts", "read"],
  ])("%s → %s", (path, access) => {
    expect(policy.access(path)).toBe(access);
  });

  it.each([
    ["src/a.ts", undefined],
    ["docs/guide.md", "read-only (paths.read_only)"],
    ["config/x", "forbidden (paths.forbidden)"],
    ["README.md", "outside the writable paths (paths.write)"],
  ])("write violation of %s: %s", (path, reason) => {
    expect(policy.writeViolation(path)).toBe(reason);
  });

  it.each([
    ["package.json", "dependency manifest or lockfile"],
    ["web/yarn.lock", "dependency manifest or lockfile"],
    ["requirements-dev.txt", "dependency manifest or lockfile"],
    [".github/actions/setup/action.yml", "CI configuration"],
    ["migrations/001.sql", "paths.require_review: migrations/**"],
    ["src/a.ts", undefined],
  ])("review reason of %s: %s", (path, reason) => {
    expect(policy.reviewReason(path)).toBe(reason);
  });

  it.each([".github/workflows/ci.yml", ".github/workflows/nested/x.yaml", ".GitHub/Workflows/ci.yml"])(
    "refuses a change to the workflow %s, even where paths.write allows it",
    (path) => {
      const open = new PathPolicy({ write: ["**"], read_only: [], forbidden: [], require_review: [] });
      expect(open.writeViolation(path)).toMatch(/^a GitHub Actions workflow, .*no `workflows` permission/);
    },
  );

  it("forbids the usual secret files by default", () => {
    const defaults = new PathPolicy(parseAgentConfig(undefined).paths);
    for (const path of [".env", "app/.env.production", "certs/server.pem", "deploy/id_rsa", ".npmrc"]) {
      expect(defaults.access(path)).toBe("none");
    }
    expect(defaults.access("src/index.ts")).toBe("write");
  });

  it("takes everything in a directory a rule names, as the sandbox hides that directory whole", () => {
    const rules = new PathPolicy({
      write: ["**"],
      read_only: ["vendor"],
      forbidden: ["secrets", "deploy/keys/", "**/*.key"],
      require_review: [],
    });
    for (const path of ["secrets", "secrets/db.txt", "SECRETS/deep/x", "deploy/keys/prod", "a/b.key/c"]) {
      expect(rules.access(path)).toBe("none");
    }
    expect(rules.writeViolation("vendor/lib/x.js")).toBe("read-only (paths.read_only)");
    for (const path of ["secretsx/a", "src/secrets.ts", "deploy/keysx", "deploy/README.md"]) {
      expect(rules.access(path)).toBe("write");
    }
  });

  it("asks for review of every file in a directory a review rule names", () => {
    const rules = new PathPolicy({
      write: ["**"],
      read_only: [],
      forbidden: [],
      require_review: ["db/migrations", "schema/"],
    });
    expect(rules.reviewReason("db/migrations/001_users.sql")).toBe("paths.require_review: db/migrations");
    expect(rules.reviewReason("schema/deep/tables.sql")).toBe("paths.require_review: schema/");
    for (const path of ["db/seed.sql", "db/migrationsx/1.sql", "src/schema.ts"]) {
      expect(rules.reviewReason(path)).toBeUndefined();
    }
  });

  it("names its forbidden rules apart from the same rules under the earlier matching", () => {
    // The git view's stores are kept by this key across upgrades: the store an older app made for
    // `secrets` (which then forbade only the directory's name) holds the files in it.
    const rules = ["secrets"];
    const before = createHash("sha256")
      .update(JSON.stringify([...rules].sort()))
      .digest("hex")
      .slice(0, 16);
    const now = new PathPolicy({ write: ["**"], read_only: [], forbidden: rules, require_review: [] });
    expect(now.forbiddenKey).not.toBe(before);
    expect(now.forbiddenKey).toMatch(/^[0-9a-f]{16}$/);
  });
});
