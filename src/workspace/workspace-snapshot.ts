import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { judgePendingEntries } from "../guardrails/paths/judge-pending-entries.ts";
import { pendingEntries } from "./change-list.ts";
import { gitAs } from "./commit-and-push.ts";
import type { Workspace } from "./workspace.ts";

/** Who makes the snapshot's temporary commit; it never leaves the job's own workspaces. */
const SNAPSHOT_AUTHOR = { name: "issue-agent snapshot", email: "snapshot@issue-agent.invalid" };
const SNAPSHOT_MESSAGE = "issue-agent: work in progress (snapshot)";

/**
 * The work in a workspace as a git bundle (base64) of its branch since the base: the delivered
 * steps as they are, and everything uncommitted (new files included, ignored files not) in one
 * extra commit on top. Small, self-contained, and restorable on any machine that can clone the base.
 */
export async function captureWorkspace(workspace: Workspace): Promise<string> {
  const git = gitAs(workspace, SNAPSHOT_AUTHOR);
  // What a step may never hold (an embedded repository, a `.GIT` directory, a huge file) is left
  // out of the snapshot too: git would refuse it, or copy gigabytes into the job's record.
  const left = judgePendingEntries(await pendingEntries(git, workspace.dir));
  await git.raw(["add", "--all", "--", ".", ...left.map((entry) => `:(exclude,literal)${entry.path}`)]);
  await git.raw(["commit", "--quiet", "--allow-empty", "--no-verify", "-m", SNAPSHOT_MESSAGE]);
  const file = path.join(workspace.scratch, "snapshot.bundle");
  await git.raw(["bundle", "create", "--quiet", file, workspace.branch, `^${workspace.baseSha}`]);
  try {
    return (await readFile(file)).toString("base64");
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Puts a captured snapshot into a fresh workspace on the same base: the branch gets the delivered
 * steps' commits (same ids), and the uncommitted work is back in the working tree, staged.
 */
export async function restoreWorkspace(
  workspace: Workspace,
  snapshot: { bundle: string; branch: string },
): Promise<void> {
  const file = path.join(workspace.scratch, "snapshot.bundle");
  await writeFile(file, Buffer.from(snapshot.bundle, "base64"));
  try {
    // The fresh workspace's branch may have another name (if that one was taken meanwhile).
    await workspace.git.raw(["fetch", "--quiet", file, `refs/heads/${snapshot.branch}`]);
    await workspace.git.raw(["reset", "--quiet", "--hard", "FETCH_HEAD"]);
    const top = await workspace.git.raw(["log", "-1", "--format=%s"]);
    if (top.trim() !== SNAPSHOT_MESSAGE)
      throw new Error("the snapshot's top commit is not its work in progress");
    await workspace.git.raw(["reset", "--quiet", "--soft", "HEAD~1"]);
  } finally {
    await rm(file, { force: true });
  }
}
