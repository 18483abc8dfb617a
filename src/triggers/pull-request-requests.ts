import type { AgentConfig } from "../config/agent-config.schema.ts";
import { loadRepoConfig } from "../config/load-repo-config.ts";
import { isActive } from "../jobs/job.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import { afterPullRequestClosed } from "../merge/after-pull-request-closed.ts";
import { mergeIfReady } from "../merge/merge-flow.ts";
import { readCiFailure, renderCiFailure, renderCiGaveUp } from "./ci-failure.ts";
import type { Log, TriggerDependencies } from "./intake-context.ts";
import { deliverToJob } from "./deliver-to-job.ts";
import { configOrReply, start } from "./start-job.ts";
import {
  issueOfAgentBranch,
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
  repository: RepositoryForge,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  if (event.type === "closed") {
    const { owner, repo, issueNumber } = request.trigger;
    await afterPullRequestClosed({
      repository,
      issue: { owner, repo, issueNumber },
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
  const loaded = await loadRepoConfig(() => repository.loadConfig());
  if (!loaded.ok) {
    log.info({ problem: loaded.error.message }, "invalid repository config; not merging");
    return;
  }
  if (event.type === "ci_failed") {
    await followUpOnCi(request, event, loaded.config, repository, deps, log);
    return;
  }
  await mergeIfReady({
    repository,
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
  repository: RepositoryForge,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  const { trigger } = request;
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
  const { failing, baseGreen } = await readCiFailure(repository, event.headSha, event.baseRef);
  if (failing.length === 0) return void log.debug({}, "no failing check besides issue-agent's");
  if (!baseGreen)
    return void log.info({ base: event.baseRef }, "CI fails on the base branch too; not the PR's to fix");
  const onPull = (body: string) => repository.comment(event.pullNumber, body);
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
  repository: RepositoryForge,
  deps: TriggerDependencies,
  replyOnPullRequestComment: (body: string) => Promise<unknown>,
  log: Log,
): Promise<void> {
  const { trigger, command } = request;
  let revision = trigger.revision;
  if (!revision) {
    const pullNumber = trigger.issueNumber;
    if (command.verb !== "start" && command.verb !== "skip-tests") {
      await replyOnPullRequestComment(
        `@${trigger.sender}, \`/agent ${command.verb}\` works on the issue, not on a pull request. On a pull request issue-agent opened, \`/agent <instructions>\` or a review asks it for changes.`,
      );
      return;
    }
    const pull = await repository.pullRequest(pullNumber);
    if (!pull.fromThisRepository || issueOfAgentBranch(pull.headRef) === undefined) {
      await replyOnPullRequestComment(
        `@${trigger.sender}, issue-agent only revises pull requests it opened (branches \`agent/<issue>-…\`).`,
      );
      return;
    }
    revision = { pullNumber, branch: pull.headRef, reviewId: undefined, reviewBody: "" };
  }
  if (await onlyRepliesInThreads(revision, repository)) {
    return void log.info(
      { reviewId: revision.reviewId },
      "a review of replies in threads asks for nothing new",
    );
  }
  const onPull = (body: string) => repository.comment(revision.pullNumber, body);
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
  const config = await configOrReply(repository, request, onPull, log);
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
  repository: Pick<RepositoryForge, "reviewComments">,
): Promise<boolean> {
  if (revision.reviewState !== "commented" || revision.reviewId === undefined) return false;
  if (revision.reviewBody.trim()) return false;
  const comments = await repository.reviewComments(revision.pullNumber, revision.reviewId);
  return comments.every((comment) => comment.isReply && !/^\s*\/agent\b/.test(comment.body));
}
