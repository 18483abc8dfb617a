import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox } from "../../src/sandbox/bubblewrap-sandbox.ts";
import { RepositoryCache } from "../../src/workspace/repository-cache.ts";
import { prepareGitView, type GitView } from "../../src/workspace/sandbox-git-view.ts";
import { git, pushToBranch } from "../helpers/git-fixtures.ts";
import { workspaceFixture } from "../helpers/workspace-fixture.ts";

const SECRET = "correct-horse-battery-staple";
const {
  remote,
  root,
  workspaceFor: workspaceOf,
} = workspaceFixture({
  ".env": `TOKEN=${SECRET}\n`,
  "config/KEY.PEM": `${SECRET}-key\n`,
  "src/a.js": "export const a = 1;\n",
  "lib/c.js": "export const c = 3;\n",
  "lib/d.js": "export const d = 4;\n",
});
/** A repository whose forbidden key file has a name that is not valid UTF-8 (added below). */
const oddNames = workspaceFixture({ "README.md": "odd\n" });
/** A repository in which nothing is forbidden. */
const plain = workspaceFixture({ "src/a.js": "export const a = 1;\n", "README.md": "hi\n" });
const policy = new PathPolicy(parseAgentConfig(undefined).paths);
const cache = new RepositoryCache(path.join(root, "cache"), 1024 ** 3);
const workspaceFor = (branch: string) => workspaceOf(branch, cache);

type Job = Awaited<ReturnType<typeof workspaceFor>>;

/** Runs `command` in the job's network-less sandbox, with `gitView` as its `.git`. */
const runInView = (job: Job, gitView: GitView, command: string, rules: PathPolicy = policy) =>
  new BubblewrapSandbox({
    workspace: job.dir,
    scratch: job.scratch,
    access: { network: false },
    policy: rules,
    objectSource: job.objectSource,
    gitView,
  }).run({ command, cwd: job.dir, timeoutMs: 20_000, maxOutputBytes: 1_000_000 });

describe("the sandbox's git view", () => {
  it("serves no forbidden content by any git route, and ordinary git still works", async () => {
    const workspace = await workspaceFor("agent/view-1");
    const gitView = await prepareGitView(workspace, policy);
    const result = await runInView(
      workspace,
      gitView,
      [
        "git show HEAD:.env",
        "git cat-file --batch-all-objects --batch",
        "git log -p",
        "git grep horse HEAD",
        "git archive --format=tar HEAD",
        "cat .git/objects/info/alternates",
        `ls ${workspace.objectSource ?? "/nonexistent"} 2>&1`,
        "echo b > src/b.js && git add -A && git status --short",
      ].join("; "),
    );
    expect(result.output).not.toContain("horse");
    expect(result.output).toContain("A  src/b.js");
    expect(result.output).toContain("export const a = 1;");
    // The mirror (which holds every blob) is not even visible.
    expect(result.output).toContain("No such file or directory");
    // The app's own repository never saw the sandbox's `git add`.
    expect(git(workspace.dir, "status", "--short")).toBe("?? src/b.js\n");
    await workspace.dispose();
  });

  it("is made once per base: the next job on the same base copies nothing", async () => {
    const first = await workspaceFor("agent/view-2");
    const view = await prepareGitView(first, policy);
    const count = () => git(view.objectStore, "count-objects", "-v");
    const before = count();
    const second = await workspaceFor("agent/view-3");
    const again = await prepareGitView(second, policy);
    expect(again.objectStore).toBe(view.objectStore);
    expect(count()).toBe(before);
    await first.dispose();
    await second.dispose();
  });

  it("copies only what changed when a job starts on a new base", async () => {
    const first = await workspaceFor("agent/view-4");
    const view = await prepareGitView(first, policy);
    const objects = () =>
      git(view.objectStore, "count-objects", "-v")
        .split("\n")
        .filter((line) => /^(count|in-pack):/.test(line))
        .reduce((sum, line) => sum + Number(line.split(": ")[1]), 0);
    const before = objects();
    // main moves on: one file of the three the view holds changes.
    pushToBranch(remote.bare, "main", { "src/a.js": "export const a = 2;\n" });
    const second = await workspaceFor("agent/view-5");
    await prepareGitView(second, policy);
    // The new blob, the two trees above it and the view commit; lib/ is in the store already.
    expect(objects() - before).toBe(4);
    // Packed from the mirror, where the view commits are made (a push would leave them loose).
    expect(git(view.objectStore, "count-objects", "-v")).toMatch(/^count: 0$/m);
    await first.dispose();
    await second.dispose();
  });

  it("still copies when the store holds a view commit its source does not know", async () => {
    const first = await workspaceFor("agent/view-6");
    const view = await prepareGitView(first, policy);
    // A store outliving its mirror's objects: its view commit is one the source never made.
    const emptyTree = git(view.objectStore, "hash-object", "-t", "tree", "-w", "/dev/null").trim();
    const identity = ["-c", "user.name=t", "-c", "user.email=t@x"];
    const stranger = git(view.objectStore, ...identity, "commit-tree", emptyTree, "-m", "elsewhere").trim();
    git(view.objectStore, "update-ref", `refs/views/${stranger}`, stranger);
    pushToBranch(remote.bare, "main", { "lib/c.js": "export const c = 30;\n" });
    const second = await workspaceFor("agent/view-7");
    const again = await prepareGitView(second, policy);
    const result = await runInView(second, again, "git show HEAD:lib/c.js");
    expect(result.output).toContain("export const c = 30;");
    await first.dispose();
    await second.dispose();
  });

  it("folds the store's packs into one once a new base finds many", async () => {
    const first = await workspaceFor("agent/view-8");
    const view = await prepareGitView(first, policy);
    const packs = () =>
      readdirSync(path.join(view.objectStore, "objects", "pack")).filter((f) => f.endsWith(".pack"));
    // Seventeen more packs, as seventeen bases would leave; their objects are in no view.
    for (let i = 0; i < 17; i += 1) {
      const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], {
        cwd: view.objectStore,
        input: `loose ${i}\n`,
      });
      execFileSync("git", ["pack-objects", "-q", "objects/pack/pack"], {
        cwd: view.objectStore,
        input: blob,
      });
    }
    git(view.objectStore, "prune-packed");
    expect(packs().length).toBeGreaterThan(16);
    pushToBranch(remote.bare, "main", { "lib/d.js": "export const d = 40;\n" });
    const second = await workspaceFor("agent/view-9");
    await prepareGitView(second, policy);
    expect(packs()).toHaveLength(1);
    // Nothing was lost: every view, and the objects no view reaches.
    git(view.objectStore, "fsck", "--no-dangling");
    expect(git(view.objectStore, "cat-file", "--batch-all-objects", "--batch-check")).toContain("blob 8");
    await first.dispose();
    await second.dispose();
  });

  it("keeps views made under other forbidden rules out of reach", async () => {
    // A job before the maintainers forbade lib/: its view holds lib/'s files.
    const before = await workspaceFor("agent/view-10");
    await prepareGitView(before, policy);
    const stricter = new PathPolicy(parseAgentConfig({ paths: { forbidden: ["lib/**"] } }).paths);
    const after = await workspaceFor("agent/view-11");
    const view = await prepareGitView(after, stricter);
    const command = "git cat-file --batch-all-objects --batch; git show HEAD:src/a.js";
    const result = await runInView(after, view, command, stricter);
    expect(result.output).toContain("export const a");
    expect(result.output).not.toContain("export const c");
    expect(result.output).not.toContain("export const d");
    await before.dispose();
    await after.dispose();
  });

  it("leaves out every file of a directory the forbidden rules name", async () => {
    const job = await workspaceFor("agent/view-13");
    const rules = new PathPolicy(parseAgentConfig({ paths: { forbidden: ["lib"] } }).paths);
    const view = await prepareGitView(job, rules);
    const command =
      "git cat-file --batch-all-objects --batch; git show HEAD:lib/c.js; git show HEAD:src/a.js";
    const result = await runInView(job, view, command, rules);
    expect(result.output).toContain("export const a");
    expect(result.output).not.toContain("export const c");
    expect(result.output).not.toContain("export const d");
    await job.dispose();
  });

  it("refuses to make a view it cannot leave a forbidden file out of", async () => {
    // `keys/<0xff>.pem`: git stores the byte as it is; the app reads the name with U+FFFD in it.
    const seed = path.join(oddNames.root, "odd-seed");
    git(oddNames.root, "clone", "--quiet", oddNames.remote.bare, seed);
    const blob = git(seed, "hash-object", "-w", "README.md").trim();
    const entry = Buffer.concat([
      Buffer.from(`100644 ${blob}\tkeys/`),
      Buffer.from([0xff]),
      Buffer.from(".pem\n"),
    ]);
    execFileSync("git", ["update-index", "--index-info"], { cwd: seed, input: entry });
    git(seed, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "--quiet", "-m", "odd name");
    git(seed, "push", "--quiet", "origin", "main");
    const job = await oddNames.workspaceFor(
      "agent/view-14",
      new RepositoryCache(path.join(oddNames.root, "c"), 1024 ** 3),
    );
    const refusal = prepareGitView(job, policy);
    await expect(refusal).rejects.toThrow(
      /forbidden file "keys\/\uFFFD\.pem" could not be left out of the sandbox's view/,
    );
    // A workspace problem with what to do, not an unexpected failure.
    await expect(refusal).rejects.toMatchObject({
      name: "WorkspaceError",
      hint: expect.stringContaining("Rename the file"),
    });
    await job.dispose();
  });

  it("holds the base's own tree when nothing in it is forbidden", async () => {
    const job = await plain.workspaceFor(
      "agent/view-12",
      new RepositoryCache(path.join(plain.root, "c"), 1024 ** 3),
    );
    const view = await prepareGitView(job, policy);
    const viewTree = git(job.dir, "--git-dir", view.gitDir, "rev-parse", "HEAD^{tree}").trim();
    expect(viewTree).toBe(git(job.dir, "rev-parse", `${job.baseSha}^{tree}`).trim());
    const result = await runInView(job, view, "git status --short; git show HEAD:src/a.js");
    expect(result.output).toBe("export const a = 1;\n");
    await job.dispose();
  });
});
