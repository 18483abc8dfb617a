import { openGit } from "./open-git.ts";
import type { Workspace } from "./workspace.ts";
import { WorkspaceError, describeError } from "../errors.ts";

export interface ChangeSummary {
  files: Array<{ path: string; added: number; removed: number }>;
}

/** What the agent changed relative to the base commit (untracked files included). */
export async function summarizeChanges(workspace: Workspace): Promise<ChangeSummary> {
  await workspace.git.raw(["add", "--all"]);
  const numstat = await workspace.git.raw([
    "diff",
    "--cached",
    "--numstat",
    "--no-renames",
    workspace.baseSha,
  ]);
  const files = numstat
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [added = "0", removed = "0", ...rest] = line.split("\t");
      // Binary files report "-" for both counts.
      return { path: rest.join("\t"), added: Number(added) || 0, removed: Number(removed) || 0 };
    });
  return { files };
}

export async function commitAndPush(
  workspace: Workspace,
  options: { message: string; author: { name: string; email: string }; redact: (text: string) => string },
): Promise<string> {
  try {
    await workspace.git.raw(["add", "--all"]);
    await openGit(workspace.dir, {
      ...workspace.gitEnv,
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: options.author.name,
      GIT_COMMITTER_EMAIL: options.author.email,
    }).raw(["commit", "--no-verify", "--quiet", "-m", options.message]);
    const head = (await workspace.git.revparse(["HEAD"])).trim();
    await workspace.git.raw(["push", "--quiet", "origin", `HEAD:refs/heads/${workspace.branch}`]);
    return head;
  } catch (error) {
    throw new WorkspaceError(
      `Could not commit and push branch ${workspace.branch}: ${options.redact(describeError(error))}`,
      "Check that the app has the contents: write permission and that the branch is not protected.",
    );
  }
}
