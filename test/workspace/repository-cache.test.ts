import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox } from "../../src/sandbox/bubblewrap-sandbox.ts";
import { dependencyCacheOf, RepositoryCache } from "../../src/workspace/repository-cache.ts";
import {
  agentCacheEnvironment,
  dependencyCacheEnvironment,
} from "../../src/workspace/setup/dependency-cache.ts";
import { createRemoteRepository, git } from "../helpers/git-fixtures.ts";
import { workspaceFixture } from "../helpers/workspace-fixture.ts";

const { remote, root, workspaceFor: workspaceOf } = workspaceFixture({ "README.md": "hello\n" });
const workspaceFor = (cache: RepositoryCache, branch: string) => workspaceOf(branch, cache);

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
      access: { network: false },
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

  it("keeps what jobs leave where only the app's user may enter: its root and the kept trees", async () => {
    // A root another version of the app made open to everyone is closed too.
    const cacheRoot = path.join(root, "private-cache");
    mkdirSync(cacheRoot, { mode: 0o755 });
    chmodSync(cacheRoot, 0o755);
    const cache = new RepositoryCache(cacheRoot, 1024 ** 3);
    const job = await workspaceFor(cache, "agent/8-g");
    const trees = `${job.objectSource!.replace(/\.git$/, "")}.trees`;
    await job.dispose({ recycle: true });
    expect(statSync(cacheRoot).mode & 0o777).toBe(0o700);
    expect(statSync(trees).mode & 0o777).toBe(0o700);
    // A shared directory (sticky, like /tmp) is left as it is.
    const shared = path.join(root, "shared-cache");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await (await workspaceFor(new RepositoryCache(shared, 1024 ** 3), "agent/9-h")).dispose();
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });

  it("keeps a finished job's tree for the next job, which gets it as clean as a fresh clone", async () => {
    const cache = new RepositoryCache(path.join(root, "tree-cache"), 1024 ** 3);
    const first = await workspaceFor(cache, "agent/3-c");
    const trees = `${first.objectSource!.replace(/\.git$/, "")}.trees`;
    // The job leaves everything a job can leave: an edit, a commit on its branch, new and ignored files.
    writeFileSync(path.join(first.dir, ".gitignore"), "build/\n");
    git(first.dir, "add", ".gitignore");
    git(first.dir, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "--quiet", "-m", "job work");
    writeFileSync(path.join(first.dir, "README.md"), "changed\n");
    writeFileSync(path.join(first.dir, "notes.txt"), "untracked\n");
    rmSync(path.join(first.dir, "build"), { recursive: true, force: true });
    git(first.dir, "init", "--quiet", "build"); // even a nested repository
    await first.dispose({ recycle: true });
    expect(readdirSync(trees)).toHaveLength(1);

    const second = await workspaceFor(cache, "agent/4-d");
    expect(readdirSync(trees)).toHaveLength(0); // taken, not shared
    expect(readFileSync(path.join(second.dir, "README.md"), "utf8")).toBe("hello\n");
    expect(git(second.dir, "status", "--porcelain", "--ignored")).toBe("");
    expect(
      git(second.dir, "for-each-ref", "--format=%(refname:short)", "refs/heads/").split("\n").filter(Boolean),
    ).toEqual(["agent/4-d", "main"]);
    expect(git(second.dir, "log", "--format=%s", "-1").trim()).toBe(
      git(remote.bare, "log", "--format=%s", "-1", "main").trim(),
    );
    expect(second.branch).toBe("agent/4-d");

    // Without `recycle` (a job whose commands could write `.git`), the tree is deleted.
    await second.dispose();
    expect(readdirSync(trees)).toHaveLength(0);
    expect(existsSync(second.dir)).toBe(false);
  });

  it("never takes a branch name the repository already has, with the cache or without", async () => {
    // An earlier attempt's branches on the remote, and a branch that only starts with the name.
    for (const name of ["agent/5-e", "agent/5-e-2", "agent/5-e-3-x"])
      git(remote.bare, "branch", name, "main");
    const cache = new RepositoryCache(path.join(root, "name-cache"), 1024 ** 3);
    const cached = await workspaceFor(cache, "agent/5-e");
    const direct = await workspaceOf("agent/5-e");
    expect([cached.branch, direct.branch]).toEqual(["agent/5-e-3", "agent/5-e-3"]);
    expect(git(cached.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("agent/5-e-3");
    expect(cached.baseSha).toBe(git(remote.bare, "rev-parse", "main").trim());
    // Nor the base branch itself.
    const onBase = await workspaceFor(cache, "main");
    expect(onBase.branch).toBe("main-2");
    await onBase.dispose();
    await cached.dispose();
    await direct.dispose();
  });

  it("sees the branches pushed and deleted since the mirror was made when it names the next branch", async () => {
    const cache = new RepositoryCache(path.join(root, "prune-cache"), 1024 ** 3);
    const first = await workspaceFor(cache, "agent/7-p");
    expect(first.branch).toBe("agent/7-p");
    await first.dispose();
    // Pushed after the mirror was made (the first job's, say): the next job must not take it.
    git(remote.bare, "branch", "agent/7-p", "main");
    const second = await workspaceFor(cache, "agent/7-p");
    expect(second.branch).toBe("agent/7-p-2");
    await second.dispose();
    // Deleted on the remote (its PR merged): the name is free again.
    git(remote.bare, "branch", "-D", "agent/7-p");
    const third = await workspaceFor(cache, "agent/7-p");
    expect(third.branch).toBe("agent/7-p");
    await third.dispose();
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

describe("the cache's budget", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is checked a moment after jobs release their mirrors, once for them all, not as the next job starts", async () => {
    const cache = new RepositoryCache(path.join(root, "later-cache"), 1, { budgetCheckDelayMs: 100 });
    const other = createRemoteRepository({ "b.txt": "b\n" });
    try {
      const evict = vi.spyOn(cache, "evict");
      const first = await cache.acquire(remote.bare, { PATH: process.env.PATH ?? "" });
      const second = await cache.acquire(other.bare, { PATH: process.env.PATH ?? "" });
      first.release();
      second.release();
      expect(evict).not.toHaveBeenCalled();
      expect(existsSync(first.path) && existsSync(second.path)).toBe(true);
      await vi.waitFor(() => expect(existsSync(first.path) || existsSync(second.path)).toBe(false), {
        timeout: 5_000,
      });
      expect(evict).toHaveBeenCalledTimes(1);
    } finally {
      other.cleanup();
    }
  });

  it("counts the package caches beside a mirror, not only the mirror", async () => {
    const cacheRoot = path.join(root, "budget-cache");
    const held = await new RepositoryCache(cacheRoot, 1024 ** 3).acquire(remote.bare, {
      PATH: process.env.PATH ?? "",
    });
    held.release();
    const budget = 250_000;
    // A host in another language: du names its total in it unless told otherwise.
    vi.stubEnv("LANGUAGE", "de");
    // A tiny repository's mirror fits the budget...
    expect(await new RepositoryCache(cacheRoot, budget).evict()).toEqual([]);
    // ...until its package downloads outgrow it.
    mkdirSync(dependencyCacheOf(held.path), { recursive: true });
    writeFileSync(path.join(dependencyCacheOf(held.path), "pkg.tgz"), Buffer.alloc(300_000));
    expect(await new RepositoryCache(cacheRoot, budget).evict()).toEqual([held.path]);
    expect(existsSync(dependencyCacheOf(held.path))).toBe(false);
  });
});

describe("the dependency cache", () => {
  it("outlives the job: the next job's setup finds what the first one downloaded, and the agent only reads it", async () => {
    const cache = new RepositoryCache(path.join(root, "deps-cache"), 1024 ** 3);
    const policy = new PathPolicy(parseAgentConfig(undefined).paths);
    // What setup does with a package cache: download once, reuse after.
    const install =
      'if [ -f "$npm_config_cache/pkg.tgz" ]; then echo "from cache"; else echo downloaded > "$npm_config_cache/pkg.tgz"; echo "downloaded"; fi';
    const setupIn = (workspace: Awaited<ReturnType<typeof workspaceFor>>) =>
      new BubblewrapSandbox({
        workspace: workspace.dir,
        scratch: workspace.scratch,
        policy,
        objectSource: workspace.objectSource,
        access: {
          network: false,
          writableDirs: [workspace.dependencyCache],
          environment: dependencyCacheEnvironment(workspace.dependencyCache),
        },
      }).run({
        command: `mkdir -p "$npm_config_cache" && ${install}`,
        cwd: workspace.dir,
        timeoutMs: 10_000,
        maxOutputBytes: 4_096,
      });

    const first = await workspaceFor(cache, "agent/deps-1");
    expect(path.relative(first.dir, first.dependencyCache).startsWith("..")).toBe(true);
    expect((await setupIn(first)).output.trim()).toBe("downloaded");
    await first.dispose({ recycle: true });

    const second = await workspaceFor(cache, "agent/deps-2");
    expect(second.dependencyCache).toBe(first.dependencyCache);
    expect((await setupIn(second)).output.trim()).toBe("from cache");

    // The agent's commands see the cache read-only (Go's module cache), never writable.
    const agent = await new BubblewrapSandbox({
      workspace: second.dir,
      scratch: second.scratch,
      policy,
      access: {
        network: false,
        readOnlyDirs: [second.dependencyCache],
        environment: agentCacheEnvironment(second.dependencyCache),
      },
    }).run({
      command: `echo "[$npm_config_cache]"; touch "${second.dependencyCache}/npm/poison" 2>&1 || echo refused`,
      cwd: second.dir,
      timeoutMs: 10_000,
      maxOutputBytes: 4_096,
    });
    expect(agent.output).toContain("[]");
    expect(agent.output).toContain("Read-only file system");
    expect(existsSync(path.join(second.dependencyCache, "npm", "poison"))).toBe(false);
    await second.dispose();

    // Evicting the repository takes its dependency cache too.
    await new RepositoryCache(path.join(root, "deps-cache"), 0).evict();
    expect(existsSync(second.dependencyCache)).toBe(false);
  });
});
