import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { SimpleGit } from "simple-git";
import { openGit } from "./open-git.ts";
import type { GitCredentials } from "../forge/forge.ts";
import { WorkspaceError, describeError } from "../errors.ts";
import { gitEnvironment } from "./git-environment.ts";
import type { RepositoryCache } from "./repository-cache.ts";

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
  /** Environment of the app's git processes (carries the credentials header). */
  gitEnv: Record<string, string>;
  git: SimpleGit;
  /** The repository cache's mirror this clone borrows objects from; commands must see it. */
  objectSource: string | undefined;
  dispose(): Promise<void>;
}

export async function createWorkspace(options: {
  root: string;
  cloneUrl: string;
  baseBranch: string;
  branch: string;
  credentials: GitCredentials | undefined;
  redact: (text: string) => string;
  cache?: RepositoryCache | undefined;
}): Promise<Workspace> {
  await mkdir(options.root, { recursive: true });
  const jobDir = await mkdtemp(path.join(options.root, "job-"));
  const dir = path.join(jobDir, "repo");
  const scratch = path.join(jobDir, "scratch");
  await mkdir(scratch, { recursive: true });
  const env = gitEnvironment(scratch, options.credentials);
  const cached = await options.cache?.acquire(options.cloneUrl, env).catch((error: unknown) => {
    void rm(jobDir, { recursive: true, force: true });
    throw new WorkspaceError(
      `Could not fetch ${options.cloneUrl} into the repository cache: ${options.redact(describeError(error))}`,
      "Check that the app is installed on this repository with the contents permission.",
    );
  });
  const dispose = async () => {
    await rm(jobDir, { recursive: true, force: true });
    cached?.release();
  };

  try {
    if (cached) {
      // A local clone that borrows the mirror's objects: no copy, no network.
      await openGit(jobDir, env).clone(cached.path, dir, {
        "--shared": null,
        "--branch": options.baseBranch,
        "--single-branch": null,
        "--no-tags": null,
      });
      await openGit(dir, env).raw(["remote", "set-url", "origin", options.cloneUrl]);
    } else {
      await openGit(jobDir, env).clone(options.cloneUrl, dir, {
        "--branch": options.baseBranch,
        "--single-branch": null,
        "--no-tags": null,
      });
    }
    const git = openGit(dir, env);
    const baseSha = (await git.revparse(["HEAD"])).trim();
    const branch = await unusedBranchName(git, options.branch);
    await git.checkoutLocalBranch(branch);
    return {
      dir,
      scratch,
      branch,
      baseBranch: options.baseBranch,
      baseSha,
      gitEnv: env,
      git,
      objectSource: cached?.path,
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

/** A re-run on the same issue must not push over an earlier attempt's branch. */
async function unusedBranchName(git: SimpleGit, wanted: string): Promise<string> {
  const remote = await git.listRemote(["--heads", "origin", `${wanted}*`]);
  const taken = new Set(
    remote
      .split("\n")
      .map((line) => line.split("\trefs/heads/")[1])
      .filter((name): name is string => Boolean(name)),
  );
  if (!taken.has(wanted)) return wanted;
  for (let attempt = 2; ; attempt += 1) {
    const candidate = `${wanted}-${attempt}`;
    if (!taken.has(candidate)) return candidate;
  }
}
