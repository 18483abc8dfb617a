import type { Octokit } from "../forge/octokit.ts";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import { CHECK_NAME } from "../forge/forge.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { hasWriteAccess } from "../forge/write-access.ts";
import { mergeReadiness } from "./merge-readiness.ts";

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Auto-merge of issue-agent's own pull request, when `merge.auto` is on and mergeReadiness says
 * yes. Asked after an approval and whenever checks on an agent PR complete. After an approval that
 * is not enough, the pull request is told why; after a check, it is only logged.
 */
export async function mergeIfReady(options: {
  octokit: Octokit;
  repo: { owner: string; repo: string };
  pullNumber: number;
  config: AgentConfig;
  afterApproval: boolean;
  log: Log;
}): Promise<boolean> {
  const { octokit, repo, pullNumber, config, log } = options;
  if (!config.merge.auto) return false;
  const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const approvers = new Set(
    reviews
      .filter((review) => review.state === "APPROVED" && review.user && review.user.type !== "Bot")
      .map((review) => review.user!.login),
  );
  const writers = new Set<string>();
  for (const login of approvers) {
    if (await hasWriteAccess(octokit, repo, login)) writers.add(login);
  }
  const checkRuns = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: pull.head.sha,
    per_page: 100,
  });
  const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef({
    ...repo,
    ref: pull.head.sha,
  });
  const decision = mergeReadiness({
    pull: { state: pull.state, draft: pull.draft ?? false, headSha: pull.head.sha, merged: pull.merged },
    reviews: reviews.map((review) => ({
      author: review.user?.login ?? "",
      authorIsBot: review.user?.type === "Bot",
      state: review.state,
      commitId: review.commit_id ?? "",
    })),
    writers,
    checkRuns: checkRuns.map((run) => ({ name: run.name, status: run.status, conclusion: run.conclusion })),
    combinedStatus: { state: combined.state, totalCount: combined.total_count },
    ownCheck: CHECK_NAME,
  });
  if (!decision.ready) {
    log.info({ pullNumber, reasons: decision.reasons }, "not merging yet");
    if (options.afterApproval) {
      await octokit.rest.issues.createComment({
        ...repo,
        issue_number: pullNumber,
        body: `issue-agent is not merging this yet (\`merge.auto\` is on):\n${decision.reasons.map((r) => `- ${r}`).join("\n")}`,
      });
    }
    return false;
  }
  // `sha` makes GitHub refuse the merge if the head moved after this check.
  const refusal = await octokit.rest.pulls
    .merge({ ...repo, pull_number: pullNumber, sha: pull.head.sha, merge_method: config.merge.method })
    .then(
      () => undefined,
      (error: { status?: number; message?: string }) => {
        // GitHub's "no" (not mergeable, head moved, method not allowed) is the people's to act
        // on; anything else (GitHub down) is thrown so the request is retried.
        if (error.status === 405 || error.status === 409 || error.status === 422) return error.message;
        throw error;
      },
    );
  if (refusal !== undefined) {
    log.warn({ pullNumber, refusal }, "GitHub refused the merge");
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: pullNumber,
      body: `issue-agent could not merge this (\`merge.auto\` is on): GitHub answered "${refusal}". Resolve that (conflicts, branch protection, the allowed merge methods in \`merge.method\`), then approve again or merge by hand.`,
    });
    return false;
  }
  log.info({ pullNumber, approvedBy: decision.approvedBy }, "merged");
  return true;
}

/**
 * After issue-agent's pull request is closed: its branch is deleted (unless protected, or the base
 * of another open pull request of the stack), the issue's status comment gets the outcome, and a
 * pull request closed without merging is noted on the issue.
 */
export async function afterPullRequestClosed(options: {
  octokit: Octokit;
  repo: { owner: string; repo: string };
  issueNumber: number;
  pull: { number: number; branch: string; merged: boolean; closedBy: string };
  store: JobStore;
  log: Log;
}): Promise<void> {
  const { octokit, repo, pull, log } = options;
  const notes: string[] = [];
  const dependents = await octokit.rest.pulls.list({
    ...repo,
    base: pull.branch,
    state: "open",
    per_page: 1,
  });
  if (dependents.data.length > 0) {
    notes.push(`branch \`${pull.branch}\` kept: #${dependents.data[0]!.number} builds on it`);
  } else {
    await octokit.rest.git.deleteRef({ ...repo, ref: `heads/${pull.branch}` }).then(
      () => notes.push(`branch \`${pull.branch}\` deleted`),
      (error: { status?: number; message?: string }) => {
        log.warn({ err: error, branch: pull.branch }, "could not delete the agent's branch");
        notes.push(
          `branch \`${pull.branch}\` kept (${error.status === 422 ? "protected or already gone" : "could not delete it"})`,
        );
      },
    );
  }
  const outcome = pull.merged
    ? `✅ #${pull.number} was merged by @${pull.closedBy}`
    : `❌ #${pull.number} was closed without merging by @${pull.closedBy}`;
  const job = await options.store.latestForIssue({ ...repo, issueNumber: options.issueNumber });
  const statusCommentId = job?.report.statusCommentId;
  if (statusCommentId !== undefined) {
    const { data: comment } = await octokit.rest.issues.getComment({ ...repo, comment_id: statusCommentId });
    await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: statusCommentId,
      body: `${comment.body ?? ""}\n\n**${outcome}** (${notes.join("; ")}).`,
    });
  }
  if (!pull.merged) {
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: options.issueNumber,
      body: `${outcome}. Comment \`/agent <instructions>\` to have issue-agent try again.`,
    });
  }
}
