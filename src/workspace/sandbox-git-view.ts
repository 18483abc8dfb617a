import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { splitNul } from "./change-list.ts";
import { openGit } from "./open-git.ts";
import type { Workspace } from "./workspace.ts";

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

/** Beside the mirror, like its trees and dependency caches (evicted with them): shared by its jobs. */
const viewStoreOf = (mirror: string) => mirror.replace(/\.git$/, ".view");

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
 * store beside the mirror; later jobs add only what changed (a push between two local
 * repositories), and a job on an unchanged base adds nothing, because the view commit is made
 * deterministically.
 */
export async function prepareGitView(
  workspace: Pick<Workspace, "dir" | "scratch" | "gitEnv" | "baseSha" | "branch" | "objectSource">,
  policy: PathPolicy,
): Promise<GitView> {
  const objectStore = workspace.objectSource
    ? viewStoreOf(workspace.objectSource)
    : path.join(workspace.scratch, "view-store");
  // Made in the mirror when there is one: it keeps earlier view commits, so the copy into the
  // store sends only what changed since them.
  const sources = [...(workspace.objectSource ? [workspace.objectSource] : []), workspace.dir];
  let commit: { sha: string; forbidden: string[] } | undefined;
  let source = workspace.dir;
  for (const candidate of sources) {
    commit = await sanitizedCommit(candidate, workspace, policy).catch(() => undefined);
    source = candidate;
    if (commit) break;
  }
  if (!commit) throw new Error(`could not make the sandbox's view of ${workspace.baseSha}`);
  await storeCommit(source, workspace, objectStore, commit.sha);

  const gitDir = path.join(workspace.scratch, "git-view");
  await rm(gitDir, { recursive: true, force: true });
  const view = openGit(workspace.scratch, workspace.gitEnv);
  await view.raw(["init", "--quiet", "--bare", gitDir]);
  const viewGit = openGit(workspace.dir, {
    ...workspace.gitEnv,
    GIT_DIR: gitDir,
    GIT_WORK_TREE: workspace.dir,
  });
  await viewGit.raw(["config", "core.bare", "false"]);
  await writeFile(path.join(gitDir, "objects", "info", "alternates"), `${objectStore}/objects\n`);
  await viewGit.raw(["update-ref", `refs/heads/${workspace.branch}`, commit.sha]);
  await viewGit.raw(["symbolic-ref", "HEAD", `refs/heads/${workspace.branch}`]);
  await viewGit.raw(["read-tree", commit.sha]);
  // What the app's own git ignores (generated files) stays out of the view's status, and so do
  // the forbidden files, which the sandbox shows as empty devices that `git add` cannot store.
  await mkdir(path.join(gitDir, "info"), { recursive: true });
  const generated = await readFile(path.join(workspace.dir, ".git", "info", "exclude"), "utf8").catch(
    () => "",
  );
  const hidden = commit.forbidden.map((file) => `/${file.replace(/([*?[\]\\!#])/g, "\\$1")}`);
  await writeFile(path.join(gitDir, "info", "exclude"), `${generated}\n${hidden.join("\n")}\n`);
  // The index has no file stats yet: the first `git status` in the sandbox hashes the tree once
  // (and saves them, the view being writable), rather than every job paying for it up front.
  return { gitDir, objectStore };
}

/** The base commit's tree without the forbidden paths, committed with no parent. */
async function sanitizedCommit(
  repository: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv" | "baseSha">,
  policy: PathPolicy,
): Promise<{ sha: string; forbidden: string[] }> {
  const index = path.join(workspace.scratch, "view-index");
  const git = openGit(repository, { ...workspace.gitEnv, ...VIEW_IDENTITY, GIT_INDEX_FILE: index });
  try {
    await git.raw(["read-tree", workspace.baseSha]);
    const forbidden = splitNul(await git.raw(["ls-files", "-z"])).filter((file) => policy.isForbidden(file));
    // Batches keep each argument list well under the system's limit.
    for (let start = 0; start < forbidden.length; start += 500)
      await git.raw(["update-index", "--force-remove", "--", ...forbidden.slice(start, start + 500)]);
    const tree = (await git.raw(["write-tree"])).trim();
    const message = "The base of this job (forbidden files left out)";
    return { sha: (await git.raw(["commit-tree", tree, "-m", message])).trim(), forbidden };
  } finally {
    await rm(index, { force: true });
  }
}

/** Copies what the store lacks of `commit` into it; concurrent jobs may race for the same ref. */
async function storeCommit(
  source: string,
  workspace: Pick<Workspace, "scratch" | "gitEnv">,
  objectStore: string,
  commit: string,
): Promise<void> {
  const store = openGit(workspace.scratch, workspace.gitEnv);
  await store.raw(["init", "--quiet", "--bare", objectStore]);
  const has = () =>
    openGit(objectStore, workspace.gitEnv)
      .raw(["cat-file", "-e", `${commit}^{commit}`])
      .then(
        () => true,
        () => false,
      );
  if (await has()) return;
  const push = () =>
    openGit(source, workspace.gitEnv).raw([
      "push",
      "--quiet",
      "--no-verify",
      objectStore,
      `${commit}:refs/views/${commit}`,
    ]);
  await push().catch(async (error: unknown) => {
    if (!(await has())) throw error;
  });
}
