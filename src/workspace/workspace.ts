import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { openGit, type Git } from "../git.ts";
import type { GitCredentials } from "../forge/forge.ts";
import { WorkspaceError, describeError } from "../errors.ts";
import { gitEnvironment } from "./git-environment.ts";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { dependencyCacheOf, type CachedRepository, type RepositoryCache } from "./repository-cache.ts";
import { GENERATED_EXCLUDES } from "./generated-files.ts";
import { unusedBranchName } from "./branch-name.ts";
import { allSettled } from "./all-settled.ts";
import { cloneFailure, MissingBaseBranch } from "./clone-failure.ts";
import { baseTreeOf, type BaseEntry } from "./base-tree.ts";
import { prepareGitView, type GitView } from "./sandbox-git-view.ts";

/**
 * A fresh clone for one job. `dir` is the working tree the agent edits; `scratch` (outside it)
 * holds HOME and TMPDIR for commands. `dispose()` removes both, however the job ended.
 */
export interface Workspace {
  dir: string;
  scratch: string;
  branch: string;
  baseBranch: string;
  baseSha: string;
  /** Made on the base's commit (a new branch), not on a follow-up job's branch the agent wrote. */
  madeOnBase: boolean;
  /** Environment of the app's local git processes (hardened; no credentials). */
  gitEnv: Record<string, string>;
  git: Git;
  /** The only git client that carries the credentials header: for pushing, nothing local. */
  remoteGit: Git;
  /** The base branch's files, listed once for the job (see baseTreeOf). */
  baseTree: () => Promise<readonly BaseEntry[]>;
  /** The repository cache's mirror this clone borrows objects from; commands must see it. */
  objectSource: string | undefined;
  /**
   * Package-manager caches for setup, outside the working tree: kept per repository beside its
   * mirror, or in the job's scratch (removed with it) when there is no repository cache.
   */
  dependencyCache: string;
  /** The sandbox's git view, when it was asked for (see WorkspaceOptions.viewPolicy). */
  gitView?: GitView | undefined;
  /**
   * Removes the workspace. With `recycle` (only when the job's commands could not write `.git`),
   * the working tree may instead be kept in the repository cache for the next job.
   */
  dispose(options?: { recycle?: boolean }): Promise<void>;
}

export interface WorkspaceOptions {
  root: string;
  cloneUrl: string;
  baseBranch: string;
  branch: string;
  credentials: GitCredentials | undefined;
  redact: (text: string) => string;
  cache?: RepositoryCache | undefined;
  /** Continue this branch from its head (a follow-up job on a pull request), which becomes the base. */
  continueBranch?: string | undefined;
  /** Also prepare the sandbox's git view under this policy (see prepareGitView), alongside the clone. */
  viewPolicy?: PathPolicy | undefined;
}

/** A job's directories, git environments and clean-up; no working tree yet. */
interface Scaffold {
  jobDir: string;
  dir: string;
  scratch: string;
  env: Record<string, string>;
  remoteEnv: Record<string, string>;
  cached: CachedRepository | undefined;
  baseTree: Workspace["baseTree"];
  dispose: Workspace["dispose"];
}

export async function createWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const scaffold = await scaffoldWorkspace(options);
  try {
    const made =
      scaffold.cached && options.cache && !options.continueBranch
        ? await fromMirror(options, scaffold, scaffold.cached, options.cache)
        : await cloneSequentially(options, scaffold);
    await mkdir(path.join(scaffold.dir, ".git", "info"), { recursive: true });
    await writeFile(path.join(scaffold.dir, ".git", "info", "exclude"), GENERATED_EXCLUDES);
    const gitView =
      made.gitView ??
      (options.viewPolicy &&
        (await prepareGitView(workspaceOf(options, scaffold, made), options.viewPolicy).catch(
          (error: unknown) => Promise.reject(new ViewError(error)),
        )));
    return { ...workspaceOf(options, scaffold, made), gitView };
  } catch (error) {
    // The job's own failure is the one to report, not a failed clean-up after it.
    await scaffold.dispose().catch(() => undefined);
    // The view's own failure is not a clone's: it keeps its message.
    if (error instanceof ViewError) throw error.cause;
    throw cloneFailure(error, options);
  }
}

class ViewError extends Error {
  constructor(cause: unknown) {
    super("could not prepare the sandbox's git view", { cause });
  }
}

function workspaceOf(
  options: WorkspaceOptions,
  { dir, scratch, env, remoteEnv, cached, baseTree, dispose }: Scaffold,
  made: { branch: string; baseSha: string },
): Workspace {
  return {
    dir,
    scratch,
    branch: made.branch,
    baseBranch: options.baseBranch,
    baseSha: made.baseSha,
    madeOnBase: !options.continueBranch,
    gitEnv: env,
    git: openGit(dir, env),
    remoteGit: openGit(dir, remoteEnv),
    baseTree,
    objectSource: cached?.path,
    dependencyCache: cached ? dependencyCacheOf(cached.path) : path.join(scratch, "dependency-cache"),
    dispose,
  };
}

/** The job's directories, and the repository cache's mirror brought up to date. */
async function scaffoldWorkspace(options: WorkspaceOptions): Promise<Scaffold> {
  await mkdir(options.root, { recursive: true });
  const jobDir = await mkdtemp(path.join(options.root, "job-"));
  const dir = path.join(jobDir, "repo");
  const scratch = path.join(jobDir, "scratch");
  await mkdir(scratch, { recursive: true });
  const env = gitEnvironment(scratch);
  const remoteEnv = gitEnvironment(scratch, options.credentials);
  const cached = await options.cache?.acquire(options.cloneUrl, remoteEnv).catch((error: unknown) => {
    void rm(jobDir, { recursive: true, force: true });
    throw new WorkspaceError(
      `Could not fetch ${options.cloneUrl} into the repository cache: ${options.redact(describeError(error))}`,
      "Check that the app is installed on this repository with the contents permission.",
    );
  });
  const dispose = async ({ recycle = false }: { recycle?: boolean } = {}) => {
    try {
      if (recycle && cached && options.cache) {
        // Cleaned now, off the next job's clock; that job only moves it to its base.
        const kept = await cleanTree(dir, env)
          .then(() => options.cache?.keepTree(cached.path, dir))
          .catch(() => false);
        if (!kept) await rm(dir, { recursive: true, force: true });
      }
      await rm(jobDir, { recursive: true, force: true });
    } finally {
      // However the removal went, the mirror may be evicted again once no job uses it.
      cached?.release();
    }
  };
  const baseTree = baseTreeOf(openGit(dir, env), options.baseBranch);
  return { jobDir, dir, scratch, env, remoteEnv, cached, baseTree, dispose };
}

/**
 * A new branch from the mirror's base. The working tree (a kept one, or a local clone borrowing the
 * mirror's objects: no copy, no network) is placed while the base's commit and the free branch name
 * are read; then the tree is checked out while the sandbox's view is made.
 */
async function fromMirror(
  options: WorkspaceOptions,
  { jobDir, dir, scratch, env, baseTree }: Scaffold,
  cached: CachedRepository,
  cache: RepositoryCache,
): Promise<{ branch: string; baseSha: string; gitView: GitView | undefined }> {
  const tree = placeTree(options, { jobDir, dir, env }, cached.path, cache);
  // The mirror was fetched (with --prune) a moment ago, so its branches are the remote's. One
  // listing gives both the base's commit and the branch names taken.
  const baseRef = `refs/heads/${options.baseBranch}`;
  const listing = openGit(cached.path, env).raw([
    "for-each-ref",
    "--format=%(objectname) %(refname)",
    baseRef,
    `refs/heads/${options.branch}*`,
  ]);
  const lines = listing.then((text) => text.split("\n").filter(Boolean));
  const baseSha = lines.then((all) => {
    const sha = all.find((line) => line.endsWith(` ${baseRef}`))?.split(" ")[0];
    if (!sha) throw new MissingBaseBranch();
    return sha;
  });
  const branch = lines.then((all) => unusedBranchName(options.branch, all));
  const view = Promise.all([baseSha, branch]).then(([sha, name]) =>
    options.viewPolicy
      ? prepareGitView(
          { dir, scratch, gitEnv: env, baseSha: sha, branch: name, objectSource: cached.path },
          options.viewPolicy,
          GENERATED_EXCLUDES,
        ).catch((error: unknown) => Promise.reject(new ViewError(error)))
      : undefined,
  );
  // The job's branch is checked out while the view is made, then the base's refs are set (not
  // alongside: moving the branch a fresh clone's HEAD points to locks HEAD, which checkout writes),
  // and the base's files listed for the steps after (if the view is still being made, beside it).
  const checkout = Promise.all([baseSha, branch, tree]).then(([sha, name, placed], git = openGit(dir, env)) =>
    allSettled([
      git
        .raw(["checkout", "--quiet", "--force", "-B", name, sha])
        .then(() =>
          git.raw(["update-ref", "--stdin"], {
            input: `update ${baseRef} ${sha}\nupdate refs/remotes/origin/${options.baseBranch} ${sha}\n`,
          }),
        )
        // A failed listing is for the steps that read it to report, not a failed clone.
        .then(() => baseTree().catch(() => undefined)),
      // A new clone's origin is the mirror; pushes go to the repository itself.
      placed === "cloned" ? git.raw(["remote", "set-url", "origin", options.cloneUrl]) : undefined,
    ]),
  );
  await allSettled([baseSha, branch, tree, checkout, view]);
  return { branch: await branch, baseSha: await baseSha, gitView: await view };
}

/** A working tree of the mirror at `dir`: a kept one (see keepTree), or a `--shared` clone, unchecked-out. */
async function placeTree(
  options: WorkspaceOptions,
  { jobDir, dir, env }: Pick<Scaffold, "jobDir" | "dir" | "env">,
  mirror: string,
  cache: RepositoryCache,
): Promise<"kept" | "cloned"> {
  if (await cache.takeTree(mirror, dir)) return "kept";
  await openGit(jobDir, env).raw([
    "clone",
    "--shared",
    "--no-checkout",
    `--branch=${options.baseBranch}`,
    "--single-branch",
    "--no-tags",
    "--",
    mirror,
    dir,
  ]);
  return "cloned";
}

/** Without a repository cache, or continuing a branch: a clone, then the branch, one after the other. */
async function cloneSequentially(
  options: WorkspaceOptions,
  { jobDir, dir, env, remoteEnv, cached }: Scaffold,
): Promise<{ branch: string; baseSha: string; gitView: undefined }> {
  const branchName = options.continueBranch
    ? Promise.resolve(options.continueBranch)
    : openGit(jobDir, remoteEnv)
        .raw(["ls-remote", "--heads", options.cloneUrl, `${options.branch}*`])
        .then((listing) => unusedBranchName(options.branch, listing.split("\n")));
  branchName.catch(() => undefined); // awaited below; an early failure must not go unhandled
  const source = cached?.path ?? options.cloneUrl;
  await openGit(jobDir, cached ? env : remoteEnv).raw([
    "clone",
    ...(cached ? ["--shared"] : []),
    `--branch=${options.baseBranch}`,
    "--single-branch",
    "--no-tags",
    "--",
    source,
    dir,
  ]);
  if (cached) await openGit(dir, env).raw(["remote", "set-url", "origin", options.cloneUrl]);
  const git = openGit(dir, env);
  const branch = await branchName;
  if (options.continueBranch) {
    // Whatever is on the branch now, human commits included, is where the job starts.
    await openGit(dir, cached ? env : remoteEnv).raw([
      "fetch",
      "--quiet",
      cached?.path ?? "origin",
      `refs/heads/${branch}`,
    ]);
    await git.raw(["checkout", "--quiet", "-B", branch, "FETCH_HEAD"]);
  } else {
    await git.raw(["checkout", "-b", branch]);
  }
  return { branch, baseSha: await git.revparse(["HEAD"]), gitView: undefined };
}

/** Discards a finished job's changes, untracked and ignored files and branches, so the tree can be kept. */
async function cleanTree(dir: string, env: Record<string, string>): Promise<void> {
  const git = openGit(dir, env);
  await git.raw(["reset", "--quiet", "--hard"]);
  await git.raw(["clean", "-ffdxq"]);
  // Detached, with the job's branches gone: the next job only has to move to its base.
  await git.raw(["checkout", "--quiet", "--detach"]);
  const branches = (await git.raw(["for-each-ref", "--format=%(refname)", "refs/heads/"]))
    .split("\n")
    .filter(Boolean);
  for (const ref of branches) await git.raw(["update-ref", "-d", ref]);
}
