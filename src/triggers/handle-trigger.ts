import type { ProbotOctokit } from "probot";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import { intendedLabel, loadRepoConfig } from "../config/load-repo-config.ts";
import { isActive, newJob } from "../jobs/job.ts";
import { wake } from "../jobs/waiting-jobs.ts";
import type { JobInbox } from "../jobs/job-inbox.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { helpText, jobSummary } from "../report/render-command-replies.ts";
import { mayStartWork } from "./may-start-work.ts";
import { afterPullRequestClosed, mergeIfReady } from "../publish/merge-flow.ts";
import { readCiFailure, renderCiFailure } from "./ci-failure.ts";
import { issueOfAgentBranch, type PullRequestEvent, type Trigger, type TriggerRequest } from "./trigger.ts";

export interface TriggerDependencies {
  store: JobStore;
  queue: JobQueue;
  inbox: JobInbox;
}

/** The installation's view of GitHub this stage needs: its Octokit and the repository's config. */
export interface InstallationGitHub {
  octokit: InstanceType<typeof ProbotOctokit>;
  /** The raw `.github/agent.yml` from the default branch; null when there is none. */
  loadConfig(): Promise<unknown>;
}

interface Log {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The intake stage for a recorded request (see Intake): acknowledges an `/agent` comment, asks
 * GitHub whether the sender may ask, then carries out the command: start (or steer the running
 * job), stop, status, approve/deny, retry, help. Never runs on the webhook's clock.
 */
export async function handleTrigger(
  request: TriggerRequest,
  github: InstallationGitHub,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  if (request.pullRequestEvent) {
    await onPullRequestEvent(request, request.pullRequestEvent, github, deps, log);
    return;
  }
  const { trigger, command } = request;
  const repo = { owner: trigger.owner, repo: trigger.repo };
  const issue = { ...repo, issue_number: trigger.issueNumber };
  const sender = trigger.sender;
  const reply = (body: string) => github.octokit.rest.issues.createComment({ ...issue, body });
  if (trigger.kind === "comment" && trigger.commentId !== undefined) {
    // Acknowledge first so the person sees they were heard.
    await github.octokit.rest.reactions
      .createForIssueComment({ ...repo, comment_id: trigger.commentId, content: "eyes" })
      .catch((error: unknown) => log.warn({ err: error }, "could not react to the comment"));
  }

  // 1. A label only counts if it is the configured one, so the config comes first for labels; a
  //    comment is authorized first, so `/agent stop` works even while the config is broken.
  let config: AgentConfig | undefined;
  if (trigger.kind === "label") {
    config = await configOrReply(github, request, reply, log);
    if (!config) return;
    if (request.labelName !== config.trigger.label) {
      log.debug({ label: request.labelName }, "label is not the trigger label");
      return;
    }
  }

  // 2. Only people with write access may ask; asked of the API, never the payload.
  const permission = await github.octokit.rest.repos
    .getCollaboratorPermissionLevel({ ...repo, username: sender })
    .then((response) => response.data)
    .catch((error: { status?: number }) => {
      if (error.status === 404) return undefined;
      throw error;
    });
  if (!mayStartWork(permission)) {
    await reply(
      `@${sender}, issue-agent only acts for people with write access to this repository. A maintainer can label the issue or comment \`/agent\`.`,
    );
    log.info({ sender }, "refused: sender lacks write access");
    return;
  }

  // 3. Commands that need no config.
  if (command.verb === "help") return void (await reply(helpText(intendedLabelOf(config))));
  if (command.verb === "unknown") {
    await reply(
      `\`/agent ${command.word}\` is not an issue-agent command.\n\n${helpText(intendedLabelOf(config))}`,
    );
    return;
  }
  if (request.onPullRequest) {
    await revise(request, github, deps, reply, log);
    return;
  }
  const latest = await deps.store.latestForIssue(trigger);
  const active = latest && isActive(latest.state) ? latest : undefined;
  if (command.verb === "approve" || command.verb === "deny") {
    // The answer to the job's pending approval request resumes it, wherever it runs next.
    if (active?.state !== "waiting_for_human" || !active.waiting?.approval) {
      await reply(`@${sender}, nothing on this issue is waiting for approval.`);
      return;
    }
    const decision = command.verb === "approve" ? "approved" : "denied";
    await deps.inbox.post(active.id, {
      kind: "approval",
      by: sender,
      text: decision,
      at: new Date().toISOString(),
    });
    await wake(active, `${decision} by @${sender}`, deps);
    log.info({ jobId: active.id, decision }, "approval answer");
    return;
  }
  if (command.verb === "status") {
    await reply(
      latest
        ? jobSummary(latest)
        : "issue-agent has not worked on this issue yet. Comment `/agent` to start.",
    );
    return;
  }
  if (command.verb === "stop") {
    if (!active) {
      await reply(`@${sender}, no issue-agent job is running on this issue; there is nothing to stop.`);
      return;
    }
    await deps.inbox.post(active.id, { kind: "stop", by: sender, text: "", at: new Date().toISOString() });
    // A waiting job runs nowhere: queue it so a process ends it (and completes its check run).
    if (active.state === "waiting_for_human") await wake(active, `stop requested by @${sender}`, deps);
    await reply(
      `@${sender}, stopping the job. Its status comment will say what was done; nothing half-made is pushed.`,
    );
    log.info({ jobId: active.id }, "stop requested");
    return;
  }
  if (active?.state === "waiting_for_human") {
    // The agent asked a question: `/agent <answer>` resumes the job with it.
    if (command.verb === "start" && command.instructions && !active.waiting?.approval) {
      await deps.inbox.post(active.id, {
        kind: "message",
        by: sender,
        text: command.instructions,
        at: new Date().toISOString(),
      });
      await wake(active, `answered by @${sender}`, deps);
      log.info({ jobId: active.id }, "answer for the waiting job");
      return;
    }
    await reply(
      active.waiting?.approval
        ? `@${sender}, the agent is waiting for approval of a command (see above). Reply \`/agent approve\` or \`/agent deny\`, or \`/agent stop\` to end the job.`
        : `@${sender}, the agent is waiting for an answer to its question (see above). Reply with \`/agent <your answer>\`, or \`/agent stop\` to end the job.`,
    );
    return;
  }
  if (active) {
    // A message for the running job (`/agent <instructions>`), or a request it already serves.
    if (command.verb === "start" && command.instructions) {
      await deps.inbox.post(active.id, {
        kind: "message",
        by: sender,
        text: command.instructions,
        at: new Date().toISOString(),
      });
      log.info({ jobId: active.id }, "steering message for the running job");
      return;
    }
    await reply(
      `issue-agent is already working on this issue (started by @${active.trigger.sender}); its status comment above shows progress. Send it instructions with \`/agent <instructions>\`, or stop it with \`/agent stop\`.`,
    );
    return;
  }
  if (command.verb === "retry" && !latest) {
    await reply(
      `@${sender}, there is no earlier job on this issue to retry. Comment \`/agent\` to start one.`,
    );
    return;
  }

  // 4. Start work: record and enqueue; one active job per issue.
  config ??= await configOrReply(github, request, reply, log);
  if (!config) return;
  const instructions = command.verb === "retry" ? latest?.trigger.instructions : trigger.instructions;
  await start({ ...trigger, instructions }, config, deps, reply, log);
}

/**
 * The merge flow: an approval or completed checks may let issue-agent merge its pull request
 * (`merge.auto`); a closed one gets its branch deleted and its outcome on the issue. Approvals are
 * authorized inside mergeReadiness, so nobody's comment is needed here.
 */
async function onPullRequestEvent(
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
  if (attempt > max) return void log.info({ attempt, max }, "CI still fails; fix attempts used up");
  const { failing, baseGreen } = await readCiFailure(github.octokit, repo, event.headSha, event.baseRef);
  if (failing.length === 0) return void log.debug({}, "no failing check besides issue-agent's");
  if (!baseGreen)
    return void log.info({ base: event.baseRef }, "CI fails on the base branch too; not the PR's to fix");
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
  const onPull = (body: string) =>
    github.octokit.rest.issues.createComment({ ...repo, issue_number: event.pullNumber, body });
  await start(followUp, config, deps, onPull, log);
}

/**
 * A review of the agent's pull request, or `/agent <instructions>` on it: a follow-up job on the
 * same branch. Answers go to the pull request (for a review, `trigger.issueNumber` is already the
 * issue; for a comment it is the pull request until its branch names the issue).
 */
async function revise(
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
    if (command.verb !== "start") {
      await replyOnPullRequestComment(
        `@${trigger.sender}, \`/agent ${command.verb}\` works on the issue, not on a pull request. On a pull request issue-agent opened, \`/agent <instructions>\` or a review asks it for changes.`,
      );
      return;
    }
    const { data: pull } = await github.octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
    const agentIssue = issueOfAgentBranch(pull.head.ref);
    if (agentIssue === undefined || pull.head.repo?.full_name !== pull.base.repo.full_name) {
      await replyOnPullRequestComment(
        `@${trigger.sender}, issue-agent only revises pull requests it opened (branches \`agent/<issue>-…\`).`,
      );
      return;
    }
    revision = { pullNumber, branch: pull.head.ref, reviewId: undefined, reviewBody: "" };
  }
  const onPull = (body: string) =>
    github.octokit.rest.issues.createComment({ ...repo, issue_number: revision.pullNumber, body });
  const issueNumber = issueOfAgentBranch(revision.branch)!;
  const followUp: Trigger = { ...trigger, issueNumber, revision };
  const latest = await deps.store.latestForIssue(followUp);
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

async function start(
  trigger: Trigger,
  config: AgentConfig,
  deps: TriggerDependencies,
  reply: (body: string) => Promise<unknown>,
  log: Log,
): Promise<void> {
  const result = await deps.store.createUnlessActive(newJob(trigger, config));
  if (!result.created) {
    // Lost a race with another trigger for the same issue.
    await reply(
      `issue-agent is already working on this issue (started by @${result.active.trigger.sender}); its status comment above shows progress.`,
    );
    log.info({ jobId: result.active.id }, "job already active for this issue");
    return;
  }
  await deps.queue.enqueue(result.job.id);
  log.info({ jobId: result.job.id }, "job queued");
}

/** The repository's config, or undefined after telling the person why it cannot be used. */
async function configOrReply(
  github: InstallationGitHub,
  request: TriggerRequest,
  reply: (body: string) => Promise<unknown>,
  log: Log,
): Promise<AgentConfig | undefined> {
  const loaded = await loadRepoConfig(() => github.loadConfig());
  if (loaded.ok) return loaded.config;
  if (request.trigger.kind !== "label" || request.labelName === intendedLabel(loaded.raw)) {
    await reply(`issue-agent cannot start: ${loaded.error.message}\n\n${loaded.error.hint ?? ""}`.trim());
  }
  log.info({ problem: loaded.error.message }, "invalid repository config");
  return undefined;
}

function intendedLabelOf(config: AgentConfig | undefined): string | undefined {
  return config?.trigger.label;
}
