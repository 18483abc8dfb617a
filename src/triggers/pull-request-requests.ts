import type { AgentConfig } from "../config/agent-config.schema.ts";
import { loadRepoConfig } from "../config/load-repo-config.ts";
import { isActive } from "../jobs/job.ts";
import { afterPullRequestClosed, mergeIfReady } from "../publish/merge-flow.ts";
import { readCiFailure, renderCiFailure, renderCiGaveUp } from "./ci-failure.ts";
import type { InstallationGitHub, Log, TriggerDependencies } from "./intake-context.ts";
import { deliverToJob } from "./deliver-to-job.ts";
import { configOrReply, start } from "./start-job.ts";
import {
  issueOfAgentBranch,
  issueOfAgentPullRequest,
  type PullRequestEvent,
  type Revision,
  type Trigger,
  type TriggerRequest,
} from "./trigger.ts";

/**
 * The merge flow: an approval or completed checks may let issue-agent merge its pull request
 * (`merge.auto`); a closed one gets its branch deleted and its outcome on the issue. Approvals are
 * authorized inside mergeReadiness, so nobody's comment is needed here.
 */
export async function onPullRequestEvent(
  request: TriggerRequest,
  event: PullRequestEvent,
  github: InstallationGitHub,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  const repo = { owner: request.trigger.owner, repo: request.trigger.repo };
  if (event.type === "closed") {
    await afterPullRequestClosed({
      octokit: github.octokit,
      repo,
      issueNumber: request.trigger.issueNumber,
      pull: {
        number: event.pullNumber,
        branch: event.branch,
        merged: event.merged,
        closedBy: request.trigger.sender,
      },
      store: deps.store,
      log,
    });
    return;
  }
  const loaded = await loadRepoConfig(() => github.loadConfig());
  if (!loaded.ok) {
    log.info({ problem: loaded.error.message }, "invalid repository config; not merging");
    return;
  }
  if (event.type === "ci_failed") {
    await followUpOnCi(request, event, loaded.config, github, deps, log);
    return;
  }
  await mergeIfReady({
    octokit: github.octokit,
    repo,
    pullNumber: event.pullNumber,
    config: loaded.config,
    afterApproval: event.type === "approved",
    log,
  });
}

/**
 * The repository's CI failed on an agent pull request: a follow-up job gets the failing checks'
 * output, at most `ci.max_fix_attempts` times in a row, and only while the base branch is green.
 */
async function followUpOnCi(
  request: TriggerRequest,
  event: Extract<PullRequestEvent, { type: "ci_failed" }>,
  config: AgentConfig,
  github: InstallationGitHub,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  const { trigger } = request;
  const repo = { owner: trigger.owner, repo: trigger.repo };
  const latest = await deps.store.latestForIssue(trigger);
  if (latest && isActive(latest.state))
    return void log.info({ jobId: latest.id }, "CI failed while a job runs");
  const previous = latest?.trigger.revision;
  const attempt =
    previous?.ciAttempt && previous.pullNumber === event.pullNumber ? previous.ciAttempt + 1 : 1;
  const max = config.ci.max_fix_attempts;
  if (max === 0) return void log.debug({}, "CI follow-ups are off (ci.max_fix_attempts: 0)");
  if (attempt > max && latest?.ciGaveUpOn === event.headSha)
    return void log.debug({ attempt, max }, "CI still fails; the pull request was told already");
  const { failing, baseGreen } = await readCiFailure(github.octokit, repo, event.headSha, event.baseRef);
  if (failing.length === 0) return void log.debug({}, "no failing check besides issue-agent's");
  if (!baseGreen)
    return void log.info({ base: event.baseRef }, "CI fails on the base branch too; not the PR's to fix");
  const onPull = (body: string) =>
    github.octokit.rest.issues.createComment({ ...repo, issue_number: event.pullNumber, body });
  if (attempt > max) {
    // Said once per head commit, so the maintainer knows the agent has stopped trying.
    await onPull(renderCiGaveUp(failing, max));
    if (latest) await deps.store.save({ ...latest, ciGaveUpOn: event.headSha });
    return void log.info({ attempt, max }, "CI still fails; fix attempts used up");
  }
  const followUp: Trigger = {
    ...trigger,
    kind: "review",
    // The job acts for whoever started the work on the issue.
    sender: latest?.trigger.sender ?? trigger.sender,
    revision: {
      pullNumber: event.pullNumber,
      branch: event.branch,
      reviewId: undefined,
      reviewBody: renderCiFailure(failing, attempt, max),
      ciAttempt: attempt,
    },
  };
  await start(followUp, config, deps, onPull, log);
}

/**
 * A review of the agent's pull request, or `/agent <instructions>` on it: a follow-up job on the
 * same branch. Answers go to the pull request (for a review, `trigger.issueNumber` is already the
 * issue; for a comment it is the pull request until its branch names the issue).
 */
export async function revise(
  request: TriggerRequest,
  github: InstallationGitHub,
  deps: TriggerDependencies,
  replyOnPullRequestComment: (body: string) => Promise<unknown>,
  log: Log,
): Promise<void> {
  const { trigger, command } = request;
  const repo = { owner: trigger.owner, repo: trigger.repo };
  let revision = trigger.revision;
  if (!revision) {
    const pullNumber = trigger.issueNumber;
    if (command.verb !== "start" && command.verb !== "skip-tests") {
      await replyOnPullRequestComment(
        `@${trigger.sender}, \`/agent ${command.verb}\` works on the issue, not on a pull request. On a pull request issue-agent opened, \`/agent <instructions>\` or a review asks it for changes.`,
      );
      return;
    }
    const { data: pull } = await github.octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
    if (issueOfAgentPullRequest(pull) === undefined) {
      await replyOnPullRequestComment(
        `@${trigger.sender}, issue-agent only revises pull requests it opened (branches \`agent/<issue>-…\`).`,
      );
      return;
    }
    revision = { pullNumber, branch: pull.head.ref, reviewId: undefined, reviewBody: "" };
  }
  if (await onlyRepliesInThreads(revision, repo, github)) {
    return void log.info(
      { reviewId: revision.reviewId },
      "a review of replies in threads asks for nothing new",
    );
  }
  const onPull = (body: string) =>
    github.octokit.rest.issues.createComment({ ...repo, issue_number: revision.pullNumber, body });
  const issueNumber = issueOfAgentBranch(revision.branch)!;
  // `/agent skip-tests` on the pull request: a follow-up job with test-first waived by its sender.
  const waiver = command.verb === "skip-tests";
  const followUp: Trigger = {
    ...trigger,
    issueNumber,
    revision,
    ...(waiver ? { instructions: command.instructions || undefined, waivedBy: trigger.sender } : {}),
  };
  const latest = await deps.store.latestForIssue(followUp);
  if (latest && isActive(latest.state) && waiver) {
    await deliverToJob(latest, { kind: "waiver", by: trigger.sender, text: command.instructions }, deps);
    return void log.info({ jobId: latest.id }, "test-first waived for the running job");
  }
  if (latest && isActive(latest.state)) {
    await onPull(
      `@${trigger.sender}, issue-agent is still working on #${issueNumber}; ask for these changes again once that job has finished.`,
    );
    return;
  }
  const config = await configOrReply(github, request, onPull, log);
  if (!config) return;
  await start(followUp, config, deps, onPull, log);
}

/**
 * Whether a review is no more than replies in existing threads ("thanks", "looks good"): GitHub
 * files each such reply as a "commented" review with no text of its own. Such a review starts no
 * job, unless a reply begins with `/agent`; a new thread, a review text or requested changes do.
 */
async function onlyRepliesInThreads(
  revision: Revision,
  repo: { owner: string; repo: string },
  github: InstallationGitHub,
): Promise<boolean> {
  if (revision.reviewState !== "commented" || revision.reviewId === undefined) return false;
  if (revision.reviewBody.trim()) return false;
  const { data: comments } = await github.octokit.rest.pulls.listCommentsForReview({
    ...repo,
    pull_number: revision.pullNumber,
    review_id: revision.reviewId,
    per_page: 100,
  });
  return comments.every(
    (comment) => comment.in_reply_to_id !== undefined && !/^\s*\/agent\b/.test(comment.body),
  );
}
