import { isActive, type Job } from "../jobs/job.ts";
import { jobSummary } from "../report/render-command-replies.ts";
import { deliverToJob } from "./deliver-to-job.ts";
import type { Log, TriggerDependencies } from "./intake-context.ts";
import type { TriggerRequest } from "./trigger.ts";

type Reply = (body: string) => Promise<unknown>;

/**
 * The commands answered from the latest job rather than by starting one: approve/deny,
 * skip-tests and messages for the running job, status, stop, and the replies when a job is busy
 * or there is nothing to retry. True when the request is answered; false when it starts work.
 */
export async function answerForJob(
  request: TriggerRequest,
  latest: Job | undefined,
  deps: Pick<TriggerDependencies, "store" | "queue" | "inbox">,
  reply: Reply,
  log: Log,
): Promise<boolean> {
  const { command } = request;
  const sender = request.trigger.sender;
  const active = latest && isActive(latest.state) ? latest : undefined;
  // A job that has posted its question or approval request but not yet paused takes answers too.
  const asksApproval =
    (active?.state === "waiting_for_human" && active.waiting?.approval !== undefined) ||
    (active?.state === "running" && active.pausing?.approval === true);
  if (command.verb === "approve" || command.verb === "deny") {
    await answerApproval(command.verb, asksApproval ? active : undefined, sender, deps, reply, log);
    return true;
  }
  if (command.verb === "skip-tests" && active) {
    // Recorded for the job; while it waits for an answer to its question, this is the answer.
    await deliverToJob(active, { kind: "waiver", by: sender, text: command.instructions }, deps);
    log.info({ jobId: active.id }, "test-first waived");
    return true;
  }
  if (command.verb === "status") {
    await reply(
      latest
        ? jobSummary(latest)
        : "issue-agent has not worked on this issue yet. Comment `/agent` to start.",
    );
    return true;
  }
  if (command.verb === "stop") {
    await stopJob(active, sender, deps, reply, log);
    return true;
  }
  // `/agent <instructions>` for a job that exists: a message it reads at its next turn, or the
  // answer to its question, which wakes it. An approval request wants approve/deny instead.
  if (active && command.verb === "start" && command.instructions && !asksApproval) {
    await deliverToJob(active, { kind: "message", by: sender, text: command.instructions }, deps);
    log.info({ jobId: active.id, state: active.state }, "message for the job");
    return true;
  }
  if (active) {
    await reply(busyReply(active, sender));
    return true;
  }
  if (command.verb === "retry" && !latest) {
    await reply(
      `@${sender}, there is no earlier job on this issue to retry. Comment \`/agent\` to start one.`,
    );
    return true;
  }
  return false;
}

/** The answer to the job's pending approval request resumes it, wherever it runs next. */
async function answerApproval(
  verb: "approve" | "deny",
  waiting: Job | undefined,
  sender: string,
  deps: Pick<TriggerDependencies, "store" | "queue" | "inbox">,
  reply: Reply,
  log: Log,
): Promise<void> {
  if (!waiting) {
    await reply(`@${sender}, nothing on this issue is waiting for approval.`);
    return;
  }
  const decision = verb === "approve" ? "approved" : "denied";
  await deliverToJob(waiting, { kind: "approval", by: sender, text: decision }, deps);
  log.info({ jobId: waiting.id, decision }, "approval answer");
}

async function stopJob(
  active: Job | undefined,
  sender: string,
  deps: Pick<TriggerDependencies, "store" | "queue" | "inbox">,
  reply: Reply,
  log: Log,
): Promise<void> {
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
}

function busyReply(active: Job, sender: string): string {
  if (active.state !== "waiting_for_human") {
    return `issue-agent is already working on this issue (started by @${active.trigger.sender}); its status comment above shows progress. Send it instructions with \`/agent <instructions>\`, or stop it with \`/agent stop\`.`;
  }
  return active.waiting?.approval
    ? `@${sender}, the agent is waiting for approval of a command (see above). Reply \`/agent approve\` or \`/agent deny\`, or \`/agent stop\` to end the job.`
    : `@${sender}, the agent is waiting for an answer to its question (see above). Reply with \`/agent <your answer>\`, or \`/agent stop\` to end the job.`;
}
