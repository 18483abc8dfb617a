import type { RunLog } from "../jobs/run-log.ts";
import type { Forge, ReviewComment } from "../forge/forge.ts";
import { renderGateTable, testFirstException } from "../report/render-guardrails.ts";
import { pushBranches } from "../workspace/commit-and-push.ts";
import type { Workspace } from "../workspace/workspace.ts";

const REVISIONS_HEADING = "## Revisions";

/**
 * Publishes a follow-up job's commits on its pull request: a plain (never forced) push of the new
 * commits on top of the branch, so a human's commits can only be built upon; then an answer in
 * every review comment's thread, a "Revisions" entry in the PR body, and the check on the new head.
 */
export async function publishRevision(options: {
  forge: Forge;
  workspace: Workspace;
  log: RunLog;
  pullNumber: number;
  /** Why the revision was made, for the Revisions line: "for @x's review", "to fix CI (attempt 1)". */
  reason: string;
  comments: ReviewComment[];
  summary: string;
  replies: Array<{ commentId: number; body: string }>;
  /** Whether a comment the agent did not answer still gets a reply (a review's), or none (open threads). */
  answerEvery: boolean;
  redact: (text: string) => string;
}): Promise<{ head: string; commits: number; url: string }> {
  const { forge, workspace, log } = options;
  const head = log.steps.at(-1)!.sha;
  // Rejected if the branch moved during the job: nobody's commits are ever overwritten.
  await pushBranches(workspace, [{ sha: head, branch: workspace.branch }], options.redact);
  const short = head.slice(0, 7);
  for (const comment of options.comments) {
    const answer = options.replies.find((reply) => reply.commentId === comment.id)?.body;
    if (!answer && !options.answerEvery) continue;
    await forge.replyToReviewComment(
      options.pullNumber,
      comment.id,
      answer
        ? `${answer}\n\n<sub>issue-agent, in ${short}</sub>`
        : `Addressed in ${short}: ${options.summary}`,
    );
  }
  const pull = await forge.getPullRequest(options.pullNumber);
  // A revision no test could show says so on its line (comments only, or test-first waived).
  const exception = testFirstException(log.steps.flatMap((step) => step.gates));
  await forge.updatePullRequestBody(
    options.pullNumber,
    withRevision(
      pull.body,
      `- ${short}, ${options.reason}: ${options.summary}${exception ? ` (${exception})` : ""}`,
    ),
  );
  await forge.reportCheckOn(head, "success", {
    title: `revised: ${log.steps.length} commit(s) pushed`,
    summary: `${options.summary}\n\n${renderGateTable(log.steps.flatMap((step) => step.gates))}`,
  });
  return { head, commits: log.steps.length, url: pull.url };
}

/** The PR body with one more line in its Revisions section (created at the end if missing). */
export function withRevision(body: string, entry: string): string {
  const at = body.indexOf(REVISIONS_HEADING);
  if (at === -1) return `${body.trimEnd()}\n\n${REVISIONS_HEADING}\n${entry}\n`;
  const next = body.indexOf("\n## ", at + REVISIONS_HEADING.length);
  const end = next === -1 ? body.length : next;
  return `${body.slice(0, end).trimEnd()}\n${entry}\n${body.slice(end)}`;
}
