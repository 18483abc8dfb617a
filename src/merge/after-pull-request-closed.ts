import type { RepositoryForge } from "../forge/repository-forge.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { appendToStatusComment } from "../report/progress-reporter.ts";

interface Log {
  warn(obj: object, msg: string): void;
}

/**
 * After issue-agent's pull request is closed: its branch is deleted (unless protected, or the base
 * of another open pull request of the stack), the issue's status comment gets the outcome, and a
 * pull request closed without merging is noted on the issue.
 */
export async function afterPullRequestClosed(options: {
  repository: RepositoryForge;
  issue: { owner: string; repo: string; issueNumber: number };
  pull: { number: number; branch: string; merged: boolean; closedBy: string };
  store: JobStore;
  log: Log;
}): Promise<void> {
  const { repository, pull } = options;
  const branchNote = await removeBranch(repository, pull.branch, options.log);
  const outcome = pull.merged
    ? `✅ #${pull.number} was merged by @${pull.closedBy}`
    : `❌ #${pull.number} was closed without merging by @${pull.closedBy}`;
  const job = await options.store.latestForIssue(options.issue);
  const statusCommentId = job?.report.statusCommentId;
  if (statusCommentId !== undefined) {
    await appendToStatusComment(repository, statusCommentId, `**${outcome}** (${branchNote}).`);
  }
  if (!pull.merged) {
    await repository.comment(
      options.issue.issueNumber,
      `${outcome}. Comment \`/agent <instructions>\` to have issue-agent try again.`,
    );
  }
}

/** Deletes the pull request's branch unless another open pull request builds on it; says what happened. */
async function removeBranch(repository: RepositoryForge, branch: string, log: Log): Promise<string> {
  const dependent = await repository.pullRequestBuildingOn(branch);
  if (dependent !== undefined) return `branch \`${branch}\` kept: #${dependent} builds on it`;
  const deletion = await repository.deleteBranch(branch);
  if (deletion.deleted) return `branch \`${branch}\` deleted`;
  log.warn({ err: deletion.error, branch }, "could not delete the agent's branch");
  return `branch \`${branch}\` kept (${deletion.reason})`;
}
