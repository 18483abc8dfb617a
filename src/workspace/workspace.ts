import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SimpleGit } from "simple-git";
import { openGit } from "./open-git.ts";
import type { GitCredentials } from "../forge/forge.ts";
import { WorkspaceError, describeError } from "../errors.ts";
import { gitEnvironment } from "./git-environment.ts";
import { dependencyCacheOf, type RepositoryCache } from "./repository-cache.ts";

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
  /** Environment of the app's local git processes (hardened; no credentials). */
  gitEnv: Record<string, string>;
  git: SimpleGit;
  /** The only git client that carries the credentials header: for pushing, nothing local. */
  remoteGit: SimpleGit;
  /** The repository cache's mirror this clone borrows objects from; commands must see it. */
  objectSource: string | undefined;
  /**
   * Package-manager caches for setup, outside the working tree: kept per repository beside its
   * mirror, or in the job's scratch (removed with it) when there is no repository cache.
   */
  dependencyCache: string;
  /**
   * Removes the workspace. With `recycle` (only when the job's commands could not write `.git`),
   * the working tree may instead be kept in the repository cache for the next job.
   */
  dispose(options?: { recycle?: boolean }): Promise<void>;
}

export async function createWorkspace(options: {
  root: string;
  cloneUrl: string;
  baseBranch: string;
  branch: string;
  credentials: GitCredentials | undefined;
  redact: (text: string) => string;
  cache?: RepositoryCache | undefined;
  /**
   * Continue this existing branch from its current head (a follow-up job on a pull request)
   * instead of starting a new branch from the base; its head becomes the workspace's base.
   */
  continueBranch?: string | undefined;
}): Promise<Workspace> {
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
    if (recycle && cached && options.cache) {
      // Cleaned now, off the next job's clock; that job only moves it to its base.
      const kept = await cleanTree(dir, env)
        .then(() => options.cache?.keepTree(cached.path, dir))
        .catch(() => false);
      if (!kept) await rm(dir, { recursive: true, force: true });
    }
    await rm(jobDir, { recursive: true, force: true });
    cached?.release();
  };

  try {
    // Which branch names are taken: the mirror was fetched (with --prune) a moment ago, so its
    // branches are the remote's. Looked up while the working tree is prepared; a job continuing a
    // branch needs no new name.
    const branchName = options.continueBranch
      ? Promise.resolve(options.continueBranch)
      : unusedBranchName(options.branch, () =>
          cached
            ? openGit(cached.path, env).raw([
                "for-each-ref",
                "--format=%(refname)",
                `refs/heads/${options.branch}*`,
              ])
            : openGit(jobDir, remoteEnv).listRemote(["--heads", options.cloneUrl, `${options.branch}*`]),
        );
    branchName.catch(() => undefined); // awaited below; an early failure must not go unhandled
    const reused =
      cached && options.cache && (await options.cache.takeTree(cached.path, dir))
        ? await resetTree(dir, cached.path, options.baseBranch, env).then(
            () => true,
            async () => {
              await rm(dir, { recursive: true, force: true });
              return false;
            },
          )
        : false;
    if (cached && !reused) {
      // A local clone that borrows the mirror's objects: no copy, no network.
      await openGit(jobDir, env).clone(cached.path, dir, {
        "--shared": null,
        "--branch": options.baseBranch,
        "--single-branch": null,
        "--no-tags": null,
      });
      await openGit(dir, env).raw(["remote", "set-url", "origin", options.cloneUrl]);
    } else if (!cached) {
      await openGit(jobDir, remoteEnv).clone(options.cloneUrl, dir, {
        "--branch": options.baseBranch,
        "--single-branch": null,
        "--no-tags": null,
      });
    }
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
      await git.checkoutLocalBranch(branch);
    }
    const baseSha = (await git.revparse(["HEAD"])).trim();
    await mkdir(path.join(dir, ".git", "info"), { recursive: true });
    await writeFile(path.join(dir, ".git", "info", "exclude"), `${GENERATED_FILES.join("\n")}\n`);
    return {
      dir,
      scratch,
      branch,
      baseBranch: options.baseBranch,
      baseSha,
      gitEnv: env,
      git,
      remoteGit: openGit(dir, remoteEnv),
      objectSource: cached?.path,
      dependencyCache: cached ? dependencyCacheOf(cached.path) : path.join(scratch, "dependency-cache"),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw new WorkspaceError(
      `Could not clone ${options.cloneUrl} (branch ${options.baseBranch}): ${options.redact(describeError(error))}`,
      "Check that the app is installed on this repository with the contents permission.",
    );
  }
}

/**
 * What tools leave behind in a working tree (dependency folders, caches, logs). Excluded locally, in
 * `.git/info/exclude`, on top of the repository's own `.gitignore`, so a repository that forgot to
 * ignore them still never gets them in a commit. Files the repository tracks are not affected.
 */
const GENERATED_FILES = [
  "node_modules/",
  "npm-debug.log*",
  "yarn-error.log*",
  ".pnpm-store/",
  "__pycache__/",
  "*.pyc",
  ".pytest_cache/",
  ".mypy_cache/",
  ".ruff_cache/",
  ".tox/",
  ".venv/",
  ".cache/",
  "coverage/",
  ".nyc_output/",
  // Cargo's and Maven's build output, at the root only: a directory named target elsewhere may be source.
  "/target/",
];

/** A re-run on the same issue must not push over an earlier attempt's branch. */
async function unusedBranchName(wanted: string, listRemoteBranches: () => Promise<string>): Promise<string> {
  const taken = new Set(
    (await listRemoteBranches())
      .split("\n")
      .map((line) => line.split("refs/heads/")[1])
      .filter((name): name is string => Boolean(name)),
  );
  if (!taken.has(wanted)) return wanted;
  for (let attempt = 2; ; attempt += 1) {
    const candidate = `${wanted}-${attempt}`;
    if (!taken.has(candidate)) return candidate;
  }
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

/**
 * Turns a kept (cleaned) working tree into what a fresh `--shared` clone of the base branch would
 * be: the base checked out on its branch. Only the files that differ from the earlier job's base
 * are written; cleaning happened when the tree was kept, off this job's clock.
 */
async function resetTree(
  dir: string,
  mirror: string,
  baseBranch: string,
  env: Record<string, string>,
): Promise<void> {
  const sha = (await openGit(mirror, env).revparse([`refs/heads/${baseBranch}`])).trim();
  const git = openGit(dir, env);
  await git.raw(["checkout", "--quiet", "--force", "-B", baseBranch, sha]);
  await git.raw(["update-ref", `refs/remotes/origin/${baseBranch}`, sha]);
}
