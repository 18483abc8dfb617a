import { WorkspaceError, describeError } from "../errors.ts";
import { openGit, type Git } from "../git.ts";
import type { Workspace } from "./workspace.ts";

/** Whether the working tree has anything not yet committed (untracked files included). */
export async function hasUncommittedChanges(git: Git): Promise<boolean> {
  const status = await git.raw([
    "status",
    "--porcelain",
    "-z",
    "--untracked-files=all",
    "--ignore-submodules=all",
  ]);
  return status !== "";
}

/** A git client for the workspace that commits as `author`. */
export function gitAs(workspace: Workspace, author: { name: string; email: string }): Git {
  return openGit(workspace.dir, {
    ...workspace.gitEnv,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  });
}

/** Pushes each commit to its branch on the remote, all in one push. */
export async function pushBranches(
  workspace: Workspace,
  refs: ReadonlyArray<{ sha: string; branch: string }>,
  redact: (text: string) => string,
): Promise<void> {
  try {
    await workspace.remoteGit.raw([
      "push",
      "--quiet",
      "origin",
      ...refs.map((ref) => `${ref.sha}:refs/heads/${ref.branch}`),
    ]);
  } catch (error) {
    throw new WorkspaceError(
      `Could not push ${refs.map((r) => r.branch).join(", ")}: ${redact(describeError(error))}`,
      "Check that the app has the contents: write permission and that agent/* branches are not protected.",
    );
  }
}
