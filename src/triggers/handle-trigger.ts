import type { ProbotOctokit } from "probot";
import { intendedLabel, loadRepoConfig } from "../config/load-repo-config.ts";
import type { Approvals } from "../jobs/approval-desk.ts";
import { newJob } from "../jobs/job.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { mayStartWork } from "./may-start-work.ts";
import type { TriggerRequest } from "./trigger.ts";

export interface TriggerDependencies {
  store: JobStore;
  queue: JobQueue;
  approvals: Approvals;
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
 * The intake stage for a recorded request (see Intake): acknowledges an `/agent` comment, reads
 * the config, asks GitHub whether the sender may ask, then answers a pending approval, refuses with
 * one reply, or records and enqueues the job. Never runs on the webhook's clock.
 */
export async function handleTrigger(
  request: TriggerRequest,
  github: InstallationGitHub,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  const { trigger } = request;
  const repo = { owner: trigger.owner, repo: trigger.repo };
  const issue = { ...repo, issue_number: trigger.issueNumber };
  const reply = (body: string) => github.octokit.rest.issues.createComment({ ...issue, body });
  if (trigger.kind === "comment" && trigger.commentId !== undefined) {
    // Acknowledge first so the person sees they were heard.
    await github.octokit.rest.reactions
      .createForIssueComment({ ...repo, comment_id: trigger.commentId, content: "eyes" })
      .catch((error: unknown) => log.warn({ err: error }, "could not react to the comment"));
  }

  // 1. The repository's config, from the default branch only.
  const loaded = await loadRepoConfig(() => github.loadConfig());
  if (!loaded.ok) {
    if (trigger.kind === "comment" || request.labelName === intendedLabel(loaded.raw)) {
      await reply(`issue-agent cannot start: ${loaded.error.message}\n\n${loaded.error.hint ?? ""}`.trim());
    }
    log.info({ problem: loaded.error.message }, "invalid repository config");
    return;
  }
  const { config } = loaded;
  if (trigger.kind === "label" && request.labelName !== config.trigger.label) {
    log.debug({ label: request.labelName }, "label is not the trigger label");
    return;
  }

  // 2. Only people with write access may ask; asked of the API, never the payload.
  const permission = await github.octokit.rest.repos
    .getCollaboratorPermissionLevel({ ...repo, username: trigger.sender })
    .then((response) => response.data)
    .catch((error: { status?: number }) => {
      if (error.status === 404) return undefined;
      throw error;
    });
  if (!mayStartWork(permission)) {
    await reply(
      `@${trigger.sender}, issue-agent only starts work for people with write access to this repository. A maintainer can label the issue \`${config.trigger.label}\` or comment \`/agent\`.`,
    );
    log.info({ sender: trigger.sender }, "refused: sender lacks write access");
    return;
  }

  // 3. An answer to a pending approval goes to the waiting job, not to a new one.
  const decision = approvalDecision(trigger.instructions);
  if (decision) {
    const command = await deps.approvals.answer(
      { owner: repo.owner, repo: repo.repo, issueNumber: trigger.issueNumber },
      decision,
      trigger.sender,
    );
    if (!command) await reply(`@${trigger.sender}, nothing on this issue is waiting for approval.`);
    log.info({ decision, answered: Boolean(command) }, "approval answer");
    return;
  }

  // 4. Record and enqueue; one active job per issue.
  const result = await deps.store.createUnlessActive(newJob(trigger, config));
  if (!result.created) {
    await reply(
      `issue-agent is already working on this issue (started by @${result.active.trigger.sender}); its status comment above shows progress. Wait for it to finish before asking again.`,
    );
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
