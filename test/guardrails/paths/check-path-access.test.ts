import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { checkPathAccess } from "../../../src/guardrails/paths/check-path-access.ts";
import { PathPolicy } from "../../../src/guardrails/paths/path-policy.ts";

const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-access-")));
mkdirSync(path.join(workspace, "src"));
mkdirSync(path.join(workspace, "docs"));
writeFileSync(path.join(workspace, ".env"), "SECRET=1\n");
writeFileSync(path.join(workspace, "docs", "guide.md"), "guide\n");
symlinkSync("../.env", path.join(workspace, "src", "config.txt"));
symlinkSync("../docs/guide.md", path.join(workspace, "src", "guide-link.md"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const policy = new PathPolicy(parseAgentConfig({ paths: { read_only: ["docs/**"] } }).paths);

describe("checkPathAccess", () => {
  it("judges the target of a symlink, not the link: a link to a forbidden file is forbidden", async () => {
    await expect(checkPathAccess(workspace, "src/config.txt", "read", policy)).rejects.toThrow(
      '"src/config.txt" is forbidden',
    );
  });

  it("a link to a read-only file may be read through but not written through", async () => {
    await expect(checkPathAccess(workspace, "src/guide-link.md", "read", policy)).resolves.toEqual({
      absolute: path.join(workspace, "docs", "guide.md"),
      relative: "docs/guide.md",
    });
    await expect(checkPathAccess(workspace, "src/guide-link.md", "write", policy)).rejects.toThrow(
      "it is read-only (paths.read_only)",
    );
  });

  it("refuses a file inside a directory the forbidden rules name", async () => {
    const secretsDir = new PathPolicy(parseAgentConfig({ paths: { forbidden: ["docs"] } }).paths);
    await expect(checkPathAccess(workspace, "docs/guide.md", "read", secretsDir)).rejects.toThrow(
      '"docs/guide.md" is forbidden',
    );
    await expect(checkPathAccess(workspace, "src/guide-link.md", "read", secretsDir)).rejects.toThrow(
      "is forbidden",
    );
  });
});
