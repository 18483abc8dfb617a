import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { describeError, UserFacingError, WorkspaceError } from "../errors.ts";
import { allSettled } from "./all-settled.ts";
import { splitNul } from "./change-list.ts";
import { openGit, type Git } from "../git.ts";
import { viewStoreOf } from "./repository-cache.ts";
import type { Workspace } from "./workspace.ts";
import { succeeded } from "../succeeded.ts";

/** The view's one commit is made the same way every time, so the same base gives the same id. */
const VIEW_IDENTITY = {
  GIT_AUTHOR_NAME: "issue-agent",
  GIT_AUTHOR_EMAIL: "view@issue-agent.invalid",
  GIT_AUTHOR_DATE: "@0 +0000",
  GIT_COMMITTER_NAME: "issue-agent",
  GIT_COMMITTER_EMAIL: "view@issue-agent.invalid",
  GIT_COMMITTER_DATE: "@0 +0000",
};

export interface GitView {
  /** Mounted (writable) as the workspace's `.git` inside the sandbox. */
  gitDir: string;
  /** The sanitized objects the view borrows; mounted read-only. */
  objectStore: string;
}

/**
 * The git repository commands in the sandbox see instead of the real one. Forbidden means
 * unreadable by every route, and git history is a route: `git show HEAD:.env`, `cat-file`,
 * `log -p`, `grep`, `archive` or reading pack files would print a tracked secret from the real
 * object store. So the sandbox never sees the real `.git` or the mirror it borrows from; it gets a
 * repository with one commit, the base tree minus every forbidden path, whose object store holds
 * only what that commit reaches.
 *
 * The trade-off: the agent's `git log` shows that one commit, not the project's history
 * (rewriting every commit would cost a full history walk per job). `git status`, `git diff`,
 * `git add`, `git stash` and even `git commit` work on it; they change only the view, never what
 * the app delivers. Cost: the first job on a repository copies the base tree's objects into the
 * store beside the mirror (one pack, written by `pack-objects`); later jobs add only what
 * changed, and a job on an unchanged base adds nothing, because the view commit is made
 * deterministically.
 */
export async function prepareGitView(
  workspace: Pick<Workspace, "dir" | "scratch" | "gitEnv" | "baseSha" | "branch" | "objectSource">,
  policy: PathPolicy,
  /** What the app's own git excludes (generated files); read from the workspace when not given. */
  generated?: string,
): Promise<GitView> {
  // One store per set of forbidden rules: a file a repository forbids later must not stay
  // readable in the objects of views made before (the sandbox can list every object it mounts).
  const objectStore = workspace.objectSource
    ? path.join(viewStoreOf(workspace.objectSource), policy.forbiddenKey)
    : path.join(workspace.scratch, "view-store");
  const gitDir = path.join(workspace.scratch, "git-view");
  // The view's repository is made while its commit is looked up or made: they share nothing.
  const made = storedViewCommit(workspace, policy, objectStore);
  await allSettled([made, initView(gitDir, workspace, objectStore)]);
  const commit = await made;
  // Neither command below touches a work tree, which may still be being checked out.
  const viewGit = openGit(workspace.scratch, { ...workspace.gitEnv, GIT_DIR: gitDir });
  // What the app's own git ignores (generated files) stays out of the view's status, and so do
  // the forbidden files, which the sandbox shows as empty devices that `git add` cannot store.
  const excluded =
    generated ??
    (await readFile(path.join(workspace.dir, ".git", "info", "exclude"), "utf8").catch(() => ""));
  const hidden = commit.forbidden.map((file) => `/${file.replace(/([*?[\]\\!#])/g, "\\$1")}`);
  await allSettled([
    writeFile(path.join(gitDir, "info", "exclude"), `${excluded}\n${hidden.join("\n")}\n`),
    viewGit.raw(["update-ref", `refs/heads/${workspace.branch}`, commit.sha]),
    viewGit.raw(["read-tree", commit.sha]),
  ]);
  // The index has no file stats yet: the first `git status` in the sandbox hashes the tree once
  // (and saves them, the view being writable), rather than every job paying for it up front.
  return { gitDir, objectStore };
}

/** An empty repository on the job's branch that borrows the store's objects, for the work tree. */
async function initView(
  gitDir: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv" | "branch">,
  objectStore: string,
): Promise<void> {
  await rm(gitDir, { recursive: true, force: true });
  await openGit(workspace.scratch, workspace.gitEnv).raw([
    "init",
    "--quiet",
    "--bare",
    `--initial-branch=${workspace.branch}`,
    gitDir,
  ]);
  // Not bare after all: it has a work tree (the workspace, given as GIT_WORK_TREE in the sandbox).
  const config = path.join(gitDir, "config");
  await writeFile(config, (await readFile(config, "utf8")).replace(/\bbare = true\b/, "bare = false"));
  await mkdir(path.join(gitDir, "info"), { recursive: true });
  await writeFile(path.join(gitDir, "objects", "info", "alternates"), `${objectStore}/objects\n`);
}

/**
 * The view commit of this base under this policy, in the store. A job on a base and policy seen
 * before in this process only checks that the store still holds it; otherwise it is made (in the
 * mirror when there is one: it keeps earlier view commits, so the copy sends only what changed).
 */
async function storedViewCommit(
  workspace: Pick<Workspace, "dir" | "scratch" | "gitEnv" | "baseSha" | "objectSource">,
  policy: PathPolicy,
  objectStore: string,
): Promise<ViewCommit> {
  const known = madeCommits.get(viewKey(objectStore, workspace.baseSha));
  if (known && (await storeHas(objectStore, workspace.gitEnv, known.sha))) return known;
  const sources = [...(workspace.objectSource ? [workspace.objectSource] : []), workspace.dir];
  let failure: unknown;
  for (const source of sources) {
    const commit = await sanitizedCommit(source, workspace, policy).catch((error: unknown) => {
      failure = error;
      return undefined;
    });
    if (!commit) continue;
    await storeCommit(source, workspace, objectStore, commit.sha);
    // Only a repository cache's store outlives the job; a job's own is gone with its scratch.
    if (workspace.objectSource) remember(objectStore, workspace.baseSha, commit);
    return commit;
  }
  // A refusal that says what to do reaches the job's report as it is.
  if (failure instanceof UserFacingError) throw failure;
  throw new Error(`could not make the sandbox's view of ${workspace.baseSha}: ${describeError(failure)}`);
}

interface ViewCommit {
  sha: string;
  forbidden: string[];
}

/**
 * View commits made by this process, by store and base; the newest few are kept. A store serves
 * one set of forbidden rules (its name is the policy's forbiddenKey), so a commit remembered for
 * a store and base is the one the job's policy would make: its files need no judging again.
 */
const madeCommits = new Map<string, ViewCommit>();
const REMEMBERED_BASES = 16;
const viewKey = (store: string, baseSha: string) => `${store}\0${baseSha}`;

function remember(store: string, baseSha: string, commit: ViewCommit): void {
  const key = viewKey(store, baseSha);
  madeCommits.delete(key);
  madeCommits.set(key, commit);
  if (madeCommits.size > REMEMBERED_BASES) madeCommits.delete(madeCommits.keys().next().value!);
}

const storeHas = (objectStore: string, env: Record<string, string>, commit: string) =>
  succeeded(openGit(objectStore, env).raw(["cat-file", "-e", `${commit}^{commit}`]));

/** The base commit's tree without the forbidden paths, committed with no parent. */
async function sanitizedCommit(
  repository: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv" | "baseSha">,
  policy: PathPolicy,
): Promise<ViewCommit> {
  const git = openGit(repository, { ...workspace.gitEnv, ...VIEW_IDENTITY });
  const files = splitNul(
    await git.raw(["ls-tree", "-r", "-z", "--name-only", "--full-tree", workspace.baseSha]),
  );
  const forbidden = files.filter((file) => policy.isForbidden(file));
  // Nothing forbidden (the usual case): the view's tree is the base's own, no index to build.
  const tree = forbidden.length
    ? await treeWithout(repository, workspace, forbidden)
    : `${workspace.baseSha}^{tree}`;
  const message = "The base of this job (forbidden files left out)";
  return { sha: (await git.raw(["commit-tree", tree, "-m", message])).trim(), forbidden };
}

/** The base's tree without `forbidden`, written from an index of its own. */
async function treeWithout(
  repository: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv" | "baseSha">,
  forbidden: readonly string[],
): Promise<string> {
  const index = path.join(workspace.scratch, "view-index");
  // update-index refuses to run without a work tree, which the mirror (bare) has not: it gets an
  // empty one. Nothing here reads or writes files in it; all the work is on the index.
  const emptyTree = path.join(workspace.scratch, "view-work-tree");
  await mkdir(emptyTree, { recursive: true });
  const git = openGit(repository, { ...workspace.gitEnv, GIT_INDEX_FILE: index, GIT_WORK_TREE: emptyTree });
  try {
    await git.raw(["read-tree", workspace.baseSha]);
    // Batches keep each argument list well under the system's limit.
    for (let start = 0; start < forbidden.length; start += 500)
      await git.raw(["update-index", "--force-remove", "--", ...forbidden.slice(start, start + 500)]);
    // Checked, not assumed: a name that is not valid UTF-8 reaches the app with U+FFFD in place of
    // its odd bytes, and update-index, given that name, removes nothing. The view is then refused.
    const named = new Set(forbidden);
    const left = splitNul(await git.raw(["ls-files", "-z"])).filter((file) => named.has(file));
    if (left.length > 0) {
      throw new WorkspaceError(
        `The forbidden file ${JSON.stringify(left[0])} could not be left out of the sandbox's view of the repository (is its name valid UTF-8?), so no command may run on it.`,
        "Rename the file in the repository to a name that is valid UTF-8, then start the job again.",
      );
    }
    return (await git.raw(["write-tree"])).trim();
  } finally {
    await rm(index, { force: true });
    await rm(emptyTree, { recursive: true, force: true });
  }
}

/**
 * Copies what the store lacks of `commit` into it; concurrent jobs may race for the same ref.
 * `pack-objects` writes the pack and its index straight into the store: a push would have the
 * store re-read and hash every object it receives and then walk them all to check they connect,
 * which made the copy the slowest step of a repository's first job.
 */
async function storeCommit(
  source: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv">,
  objectStore: string,
  commit: string,
): Promise<void> {
  const exists = await succeeded(stat(path.join(objectStore, "HEAD")));
  if (!exists)
    await openGit(workspace.scratch, workspace.gitEnv).raw(["init", "--quiet", "--bare", objectStore]);
  else if (await storeHas(objectStore, workspace.gitEnv, commit)) return;
  const store = openGit(objectStore, workspace.gitEnv);
  // What earlier views hold is in the store already: their trees are left out, with all they
  // contain (a commit would not do: the views share no history, and rev-list leaves out only what
  // a left-out commit's descendants share with it). The trees were made in this same source,
  // which keeps them (its gc never prunes); one it lacks makes pack-objects fail, and then the
  // copy is a push, which asks the store what it has.
  const earlier = exists
    ? (await store.raw(["for-each-ref", "--format=%(tree)", "refs/views/"])).split("\n").filter(Boolean)
    : [];
  const revisions = [commit, ...earlier.map((tree) => `^${tree}`)].join("\n");
  // pack-objects reads its revisions on stdin.
  const packed = await succeeded(
    openGit(source, workspace.gitEnv).raw(
      [
        "pack-objects",
        "--revs",
        "--quiet",
        "--delta-base-offset",
        path.join(objectStore, "objects", "pack", "pack"),
      ],
      { input: `${revisions}\n` },
    ),
  );
  const copied = packed
    ? store.raw(["update-ref", `refs/views/${commit}`, commit])
    : openGit(source, workspace.gitEnv).raw([
        "push",
        "--quiet",
        "--no-verify",
        objectStore,
        `${commit}:refs/views/${commit}`,
      ]);
  await copied.catch(async (error: unknown) => {
    if (!(await storeHas(objectStore, workspace.gitEnv, commit))) throw error;
  });
  if (packed) await foldPacks(store, objectStore);
}

/** The store's packs beyond which they are folded into one (each new base adds one). */
const MAX_STORE_PACKS = 16;

/**
 * Folds the store's packs into one once there are many; the app's git never runs `gc --auto`
 * (see git-environment.ts). Objects no ref reaches are kept: another job may have written its
 * pack and not yet named its view in a ref.
 */
async function foldPacks(store: Git, objectStore: string): Promise<void> {
  const packs = (await readdir(path.join(objectStore, "objects", "pack"))).filter((name) =>
    name.endsWith(".pack"),
  );
  if (packs.length <= MAX_STORE_PACKS) return;
  await store.raw(["repack", "-a", "-d", "-q", "--keep-unreachable"]).catch(() => undefined);
}
