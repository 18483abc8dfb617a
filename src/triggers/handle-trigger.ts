import type { Context, ProbotOctokit } from "probot";
import { z } from "zod";
import { intendedLabel, loadRepoConfig } from "../config/load-repo-config.ts";
import { newJob } from "../jobs/job.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { Approvals } from "../jobs/approval-desk.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { type Classification, classifyComment, classifyLabeled } from "./classify-event.ts";
import type { DeliveryLog } from "./delivery-log.ts";
import { mayStartWork } from "./may-start-work.ts";
import type { Trigger } from "./trigger.ts";
import { issueCommentCreatedPayload, issuesLabeledPayload } from "./webhook-payloads.schema.ts";

export interface TriggerDependencies {
  store: JobStore;
  queue: JobQueue;
  deliveries: DeliveryLog;
  approvals: Approvals;
}

/** The part of Probot's context this handler uses, for both event types. */
interface TriggerContext {
  id: string;
  name: string;
  payload: unknown;
  log: Context["log"];
  octokit: InstanceType<typeof ProbotOctokit>;
  config(fileName: string): Promise<unknown>;
}

/**
 * The webhook handler for everything that may start a job. It only validates, authorizes, records
 * and enqueues, then returns: the job itself runs later, off the webhook's clock.
 */
export async function handleTrigger(context: TriggerContext, deps: TriggerDependencies): Promise<void> {
  const log = context.log.child({ delivery: context.id, event: context.name });

  // 1. Validate the fields we rely on; a malformed payload is dropped, loudly in the log.
  const isComment = context.name === "issue_comment";
  const parsed = (isComment ? issueCommentCreatedPayload : issuesLabeledPayload).safeParse(context.payload);
  if (!parsed.success) {
    log.warn({ problems: z.prettifyError(parsed.error) }, "ignoring malformed webhook payload");
    return;
  }
  const payload = parsed.data;
  const classification: Classification = isComment
    ? classifyComment(issueCommentCreatedPayload.parse(payload))
    : classifyLabeled(issuesLabeledPayload.parse(payload));
  if (!classification.start) {
    log.debug({ reason: classification.reason }, "not a trigger");
    return;
  }

  // 2. A redelivered webhook never starts a second job.
  if (!(await deps.deliveries.firstSighting(context.id))) {
    log.info("ignoring redelivered webhook");
    return;
  }
  const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const issue = { ...repo, issue_number: payload.issue.number };
  if (classification.kind === "comment") {
    // Acknowledge at once so the person sees they were heard.
    await context.octokit.rest.reactions
      .createForIssueComment({ ...repo, comment_id: classification.commentId, content: "eyes" })
      .catch((error: unknown) => log.warn({ err: error }, "could not react to the comment"));
  }

  // 3. The repository's config, from the default branch only.
  const loaded = await loadRepoConfig(() => context.config("agent.yml"));
  if (!loaded.ok) {
    const meantForUs =
      classification.kind === "comment" || classification.labelName === intendedLabel(loaded.raw);
    if (meantForUs) {
      await context.octokit.rest.issues.createComment({
        ...issue,
        body: `issue-agent cannot start: ${loaded.error.message}\n\n${loaded.error.hint ?? ""}`.trim(),
      });
    }
    log.info({ problem: loaded.error.message }, "invalid repository config");
    return;
  }
  const { config } = loaded;
  if (classification.kind === "label" && classification.labelName !== config.trigger.label) {
    log.debug({ label: classification.labelName }, "label is not the trigger label");
    return;
  }

  // 4. Only people with write access may start work; asked of the API, never the payload.
  const sender = payload.sender.login;
  const permission = await context.octokit.rest.repos
    .getCollaboratorPermissionLevel({ ...repo, username: sender })
    .then((response) => response.data)
    .catch((error: { status?: number }) => {
      if (error.status === 404) return undefined;
      throw error;
    });
  if (!mayStartWork(permission)) {
    await context.octokit.rest.issues.createComment({
      ...issue,
      body: `@${sender}, issue-agent only starts work for people with write access to this repository. A maintainer can label the issue \`${config.trigger.label}\` or comment \`/agent\`.`,
    });
    log.info({ sender }, "refused: sender lacks write access");
    return;
  }

  // 5. An answer to a pending approval goes to the waiting job, not to a new one.
  const decision = approvalDecision(classification.instructions);
  if (decision) {
    const command = await deps.approvals.answer(
      { owner: repo.owner, repo: repo.repo, issueNumber: issue.issue_number },
      decision,
      sender,
    );
    if (!command) {
      await context.octokit.rest.issues.createComment({
        ...issue,
        body: `@${sender}, nothing on this issue is waiting for approval.`,
      });
    }
    log.info({ decision, answered: Boolean(command) }, "approval answer");
    return;
  }

  // 6. Record and enqueue; one active job per issue.
  const trigger: Trigger = {
    kind: classification.kind,
    deliveryId: context.id,
    installationId: payload.installation?.id,
    owner: issue.owner,
    repo: issue.repo,
    issueNumber: issue.issue_number,
    sender,
    instructions: classification.instructions,
    commentId: classification.commentId,
  };
  const result = await deps.store.createUnlessActive(newJob(trigger, config));
  if (!result.created) {
    await context.octokit.rest.issues.createComment({
      ...issue,
      body: `issue-agent is already working on this issue (started by @${result.active.trigger.sender}); its status comment above shows progress. Wait for it to finish before asking again.`,
    });
    log.info({ jobId: result.active.id }, "job already active for this issue");
    return;
  }
  await deps.queue.enqueue(result.job.id);
  log.info({ jobId: result.job.id }, "job queued");
}

/** `/agent approve` and `/agent deny` (alone on the line) answer a pending approval. */
function approvalDecision(instructions: string | undefined): "approved" | "denied" | undefined {
  const word = instructions?.trim().toLowerCase();
  if (word === "approve") return "approved";
  if (word === "deny") return "denied";
  return undefined;
}
