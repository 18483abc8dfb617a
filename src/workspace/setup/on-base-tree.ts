import type { Workspace } from "../workspace.ts";

/**
 * Runs `prepare` (setup) on the base branch's files, then puts the job's branch back. Setup runs
 * with the network and the package caches, so it must never run what the agent wrote: a follow-up
 * job's branch holds the agent's earlier commits (a `package.json` with a `preinstall`, say). What
 * setup leaves untracked (node_modules, .venv) stays; its excludes are in `.git/info/exclude`.
 */
export async function onBaseTree<T>(
  workspace: Pick<Workspace, "git" | "baseBranch" | "branch" | "madeOnBase">,
  prepare: () => Promise<T>,
): Promise<T> {
  // A new branch is still the base's commit: nothing has moved it since the tree was made.
  if (workspace.madeOnBase) return prepare();
  const { git } = workspace;
  const base = `refs/heads/${workspace.baseBranch}`;
  const [head, baseSha] = (await git.revparse(["HEAD", base])).split("\n");
  if (head === baseSha) return prepare();
  await git.raw(["checkout", "--quiet", "--detach", base]);
  try {
    return await prepare();
  } finally {
    // Forced: setup may have left untracked files where the branch tracks some.
    await git.raw(["checkout", "--quiet", "--force", workspace.branch]);
  }
}
