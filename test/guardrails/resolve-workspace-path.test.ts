import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GuardrailViolation } from "../../src/guardrails/guardrail-violation.ts";
import { resolveWorkspacePath } from "../../src/guardrails/resolve-workspace-path.ts";

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-paths-")));
const workspace = path.join(root, "repo");
mkdirSync(path.join(workspace, "src"), { recursive: true });
mkdirSync(path.join(workspace, ".git", "hooks"), { recursive: true });
writeFileSync(path.join(workspace, "src", "a.ts"), "");
writeFileSync(path.join(root, "outside.txt"), "secret");
symlinkSync("/etc/passwd", path.join(workspace, "passwd-link"));
symlinkSync(path.join(root, "outside.txt"), path.join(workspace, "src", "sneaky.ts"));
symlinkSync(root, path.join(workspace, "escape-dir"));
symlinkSync(".git", path.join(workspace, "git-link"));
symlinkSync("src", path.join(workspace, "src-link"));
symlinkSync(path.join(root, "elsewhere", "x"), path.join(workspace, "dangling-out"));
symlinkSync("missing.txt", path.join(workspace, "dangling-in"));
symlinkSync(".git/commondir", path.join(workspace, "commondir-link"));
symlinkSync("commondir-link", path.join(workspace, "link-to-link"));
symlinkSync("loop-b", path.join(workspace, "loop-a"));
symlinkSync("loop-a", path.join(workspace, "loop-b"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveWorkspacePath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/../src/a.ts", "src/a.ts"],
    ["src/new/file.ts", "src/new/file.ts"],
    ["src-link/a.ts", "src/a.ts"],
    [".", ""],
    [".gitignore", ".gitignore"],
  ])("allows %j (→ %j)", async (requested, expected) => {
    await expect(resolveWorkspacePath(workspace, requested)).resolves.toBe(path.join(workspace, expected));
  });

  it.each([
    ["../outside.txt", "outside the repository"],
    ["/etc/passwd", "outside the repository"],
    ["passwd-link", "outside the repository"],
    ["src/sneaky.ts", "outside the repository"],
    ["escape-dir/outside.txt", "outside the repository"],
    ["escape-dir/new-file", "outside the repository"],
    [".git/hooks/pre-commit", "inside .git/"],
    [".git", "inside .git/"],
    ["git-link/config", "inside .git/"],
    ["dangling-out", "outside the repository"],
    ["dangling-in", "dangling symbolic link"],
    ["commondir-link", "inside .git/"],
    ["link-to-link", "inside .git/"],
    [".GIT/config", "inside .git/"],
    ["pkg/.Git/hooks/post-commit", "inside .git/"],
    ["src/a.ts/b", "goes through a file"],
    ["loop-a", "too many symbolic links"],
  ])("refuses %j", async (requested, reason) => {
    const attempt = resolveWorkspacePath(workspace, requested);
    await expect(attempt).rejects.toBeInstanceOf(GuardrailViolation);
    await expect(resolveWorkspacePath(workspace, requested)).rejects.toThrow(reason);
  });
});
