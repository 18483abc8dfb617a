import type { AgentConfig } from "../config/agent-config.schema.ts";
import { isActive } from "../jobs/job.ts";
import { deliverToJob } from "./deliver-to-job.ts";
import { helpText, jobSummary } from "../report/render-command-replies.ts";
import type { InstallationGitHub, Log, TriggerDependencies } from "./intake-context.ts";
import { hasWriteAccess } from "../forge/write-access.ts";
import { onPullRequestEvent, revise } from "./pull-request-requests.ts";
import { configOrReply, start } from "./start-job.ts";
import type { TriggerRequest } from "./trigger.ts";

export type { InstallationGitHub, TriggerDependencies } from "./intake-context.ts";

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
  if (!(await hasWriteAccess(github.octokit, repo, sender))) {
    // Anyone may review a pull request; a review from someone without write access is simply not
    // a request to the agent, so it gets no reply.
    if (trigger.kind === "review") return void log.info({ sender }, "review by someone without write access");
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
  // A job that has posted its question or approval request but not yet paused takes answers too.
  const asksApproval =
    (active?.state === "waiting_for_human" && active.waiting?.approval !== undefined) ||
    (active?.state === "running" && active.pausing?.approval === true);
  if (command.verb === "approve" || command.verb === "deny") {
    // The answer to the job's pending approval request resumes it, wherever it runs next.
    if (!active || !asksApproval) {
      await reply(`@${sender}, nothing on this issue is waiting for approval.`);
      return;
    }
    const decision = command.verb === "approve" ? "approved" : "denied";
    await deliverToJob(active, { kind: "approval", by: sender, text: decision }, deps);
    log.info({ jobId: active.id, decision }, "approval answer");
    return;
  }
  if (command.verb === "skip-tests" && active) {
    // Recorded for the job; while it waits for an answer to its question, this is the answer.
    await deliverToJob(active, { kind: "waiver", by: sender, text: command.instructions }, deps);
    log.info({ jobId: active.id }, "test-first waived");
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
    // A waiting job runs nowhere: it is queued so a process ends it (and completes its check run).
    await deliverToJob(active, { kind: "stop", by: sender, text: "" }, deps);
    await reply(
      `@${sender}, stopping the job. Its status comment will say what was done; nothing half-made is pushed.`,
    );
    log.info({ jobId: active.id }, "stop requested");
    return;
  }
  // `/agent <instructions>` for a job that exists: a message it reads at its next turn, or the
  // answer to its question, which wakes it. An approval request wants approve/deny instead.
  if (active && command.verb === "start" && command.instructions && !asksApproval) {
    await deliverToJob(active, { kind: "message", by: sender, text: command.instructions }, deps);
    log.info({ jobId: active.id, state: active.state }, "message for the job");
    return;
  }
  if (active) {
    await reply(
      active.state !== "waiting_for_human"
        ? `issue-agent is already working on this issue (started by @${active.trigger.sender}); its status comment above shows progress. Send it instructions with \`/agent <instructions>\`, or stop it with \`/agent stop\`.`
        : active.waiting?.approval
          ? `@${sender}, the agent is waiting for approval of a command (see above). Reply \`/agent approve\` or \`/agent deny\`, or \`/agent stop\` to end the job.`
          : `@${sender}, the agent is waiting for an answer to its question (see above). Reply with \`/agent <your answer>\`, or \`/agent stop\` to end the job.`,
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
  if (command.verb === "skip-tests") {
    const instructions = command.instructions || undefined;
    return void (await start({ ...trigger, instructions, waivedBy: sender }, config, deps, reply, log));
  }
  const instructions = command.verb === "retry" ? latest?.trigger.instructions : trigger.instructions;
  await start({ ...trigger, instructions }, config, deps, reply, log);
}

function intendedLabelOf(config: AgentConfig | undefined): string | undefined {
  return config?.trigger.label;
}
