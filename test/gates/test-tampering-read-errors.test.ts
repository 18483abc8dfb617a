import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openGit } from "../../src/git.ts";
import { testTamperingReview } from "../../src/gates/test-tampering-review.ts";

const RULES = { patterns: ["test/**"], exempt: [] };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
}

/** A repository whose step skips an existing test: a change that must go to human review. */
function skippedTestRepository() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tampering-read-"));
  dirs.push(dir);
  git(dir, "init", "-q");
  mkdirSync(path.join(dir, "test"));
  writeFileSync(path.join(dir, "test/a.test.js"), 'test("keeps spaces", () => {});\n');
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  const baseSha = git(dir, "rev-parse", "HEAD");
  writeFileSync(path.join(dir, "test/a.test.js"), 'test.skip("keeps spaces", () => {});\n');
  git(dir, "commit", "-qam", "step");
  const headSha = git(dir, "rev-parse", "HEAD");
  return { dir, baseSha, headSha };
}

describe("test-tampering review when git cannot read a version", () => {
  it("flags the skipped test when both versions read", async () => {
    const { dir, baseSha, headSha } = skippedTestRepository();
    const reasons = await testTamperingReview(
      openGit(dir, process.env),
      { baseSha, headSha, paths: ["test/a.test.js"] },
      RULES,
    );
    expect(reasons).toHaveLength(1);
  });

  it("fails instead of taking an unreadable old version for a new file (which needs no review)", async () => {
    const { dir, baseSha, headSha } = skippedTestRepository();
    // The old version's blob is gone: git fails to read it, though the file exists at the base.
    const blob = git(dir, "rev-parse", `${baseSha}:test/a.test.js`);
    unlinkSync(path.join(dir, ".git/objects", blob.slice(0, 2), blob.slice(2)));
    await expect(
      testTamperingReview(openGit(dir, process.env), { baseSha, headSha, paths: ["test/a.test.js"] }, RULES),
    ).rejects.toThrow();
  });
});
