import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox } from "../../src/sandbox/bubblewrap-sandbox.ts";
import { RepositoryCache } from "../../src/workspace/repository-cache.ts";
import { createWorkspace } from "../../src/workspace/workspace.ts";
import { createRemoteRepository, git } from "../helpers/git-fixtures.ts";

const remote = createRemoteRepository({ "README.md": "hello\n" });
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-cache-")));
afterAll(() => {
  remote.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const workspaceFor = (cache: RepositoryCache, branch: string) =>
  createWorkspace({
    root: path.join(root, "jobs"),
    cloneUrl: remote.bare,
    baseBranch: "main",
    branch,
    credentials: undefined,
    redact: (text) => text,
    cache,
  });

describe("RepositoryCache", () => {
  it("gives each job its own working tree that borrows the mirror's objects, fetched fresh", async () => {
    const cache = new RepositoryCache(path.join(root, "cache"), 1024 ** 3);
    const first = await workspaceFor(cache, "agent/1-a");
    // A commit lands upstream between the two jobs: the second must see it.
    const upstream = path.join(root, "upstream");
    git(root, "clone", "--quiet", remote.bare, upstream);
    git(
      upstream,
      "-c",
      "user.name=x",
      "-c",
      "user.email=x@x",
      "commit",
      "--quiet",
      "--allow-empty",
      "-m",
      "second",
    );
    git(upstream, "push", "--quiet", "origin", "main");
    const second = await workspaceFor(cache, "agent/2-b");

    expect(first.dir).not.toBe(second.dir);
    expect(second.objectSource).toBe(first.objectSource);
    expect(readFileSync(path.join(second.dir, ".git/objects/info/alternates"), "utf8")).toContain(
      first.objectSource,
    );
    expect(git(second.dir, "log", "--format=%s", "-1").trim()).toBe("second");
    expect(git(second.dir, "remote", "get-url", "origin").trim()).toBe(remote.bare);

    // git inside the sandbox reads the borrowed objects (the mirror is mounted read-only).
    const config = parseAgentConfig(undefined);
    const sandbox = new BubblewrapSandbox({
      workspace: second.dir,
      scratch: second.scratch,
      network: false,
      policy: new PathPolicy(config.paths),
      objectSource: second.objectSource,
    });
    const result = await sandbox.run({
      command: "git log --format=%s -2",
      cwd: second.dir,
      timeoutMs: 10_000,
      maxOutputBytes: 10_000,
    });
    expect(result.output).toBe("second\ninitial\n");
    await first.dispose();
    await second.dispose();
  });

  it("evicts the least recently used mirrors beyond its budget, never one a job is using", async () => {
    const cache = new RepositoryCache(path.join(root, "tiny-cache"), 1);
    const other = createRemoteRepository({ "a.txt": "a\n" });
    try {
      const held = await cache.acquire(remote.bare, { PATH: process.env.PATH ?? "" });
      const done = await cache.acquire(other.bare, { PATH: process.env.PATH ?? "" });
      done.release();
      const evicted = await cache.evict();
      expect(evicted).toEqual([done.path]);
      expect(existsSync(held.path)).toBe(true);
      held.release();
      expect(await cache.evict()).toEqual([held.path]);
    } finally {
      other.cleanup();
    }
  });
});
