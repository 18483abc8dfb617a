import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitEnvironment } from "../../src/workspace/git-environment.ts";
import { openGit } from "../../src/git.ts";
import { hasUncommittedChanges } from "../../src/workspace/commit-and-push.ts";
import { pendingPaths, stagedChanges } from "../../src/workspace/change-list.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "ia-gitenv-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const plainGit = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=a", "-c", "user.email=a@b", ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: root },
    encoding: "utf8",
  });

/** A workspace whose index holds a gitlink `pkg2`, and whose own config asks for programs too. */
function hostileWorkspace(marker: string): string {
  const dir = path.join(root, "repo");
  mkdirSync(path.join(dir, "pkg2"), { recursive: true });
  plainGit(dir, "init", "-q");
  plainGit(path.join(dir, "pkg2"), "init", "-q");
  plainGit(path.join(dir, "pkg2"), "commit", "-q", "--allow-empty", "-m", "x");
  plainGit(dir, "add", "pkg2");
  plainGit(dir, "commit", "-q", "-m", "gitlink");
  const run = `env > ${marker}; false`;
  plainGit(path.join(dir, "pkg2"), "config", "core.fsmonitor", run);
  plainGit(dir, "config", "core.fsmonitor", run);
  plainGit(dir, "config", "core.hooksPath", path.join(root, "hooks"));
  mkdirSync(path.join(root, "hooks"));
  writeFileSync(path.join(root, "hooks", "post-commit"), `#!/bin/sh\nenv > ${marker}\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, "pkg2", "f"), "y\n");
  writeFileSync(path.join(dir, "new.txt"), "n\n");
  return dir;
}

describe("the app's git environment", () => {
  it("runs no program the workspace or an embedded repository configures, whatever the app asks git", async () => {
    const marker = path.join(root, "pwned");
    const dir = hostileWorkspace(marker);
    const env = gitEnvironment(path.join(root, "home"), {
      username: "x-access-token",
      password: "ghs_secret",
    });
    const git = openGit(dir, {
      ...env,
      GIT_AUTHOR_NAME: "a",
      GIT_AUTHOR_EMAIL: "a@b",
      GIT_COMMITTER_NAME: "a",
      GIT_COMMITTER_EMAIL: "a@b",
    });
    expect(await hasUncommittedChanges(git)).toBe(true);
    await pendingPaths(git);
    await git.raw(["add", "--all"]);
    await stagedChanges(git, "HEAD");
    await git.raw(["commit", "-q", "-m", "step"]);
    await git.raw(["status", "--porcelain"]);
    await git.raw(["diff", "HEAD~1", "--stat"]);
    expect(existsSync(marker)).toBe(false);
  });

  it("carries the credentials only when asked for them", () => {
    const local = gitEnvironment("/home");
    const remote = gitEnvironment("/home", { username: "x-access-token", password: "ghs_secret" });
    const basic = Buffer.from("x-access-token:ghs_secret").toString("base64");
    expect(JSON.stringify(local)).not.toContain(basic);
    expect(JSON.stringify(remote)).toContain(basic);
    expect(local).toMatchObject({ GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" });
  });
});
