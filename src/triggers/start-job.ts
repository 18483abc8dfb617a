import type { AgentConfig } from "../config/agent-config.schema.ts";
import { intendedLabel, loadRepoConfig } from "../config/load-repo-config.ts";
import { newJob } from "../jobs/job.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import type { Log, TriggerDependencies } from "./intake-context.ts";
import type { Trigger, TriggerRequest } from "./trigger.ts";

export async function start(
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
export async function configOrReply(
  repository: Pick<RepositoryForge, "loadConfig">,
  request: TriggerRequest,
  reply: (body: string) => Promise<unknown>,
  log: Log,
): Promise<AgentConfig | undefined> {
  const loaded = await loadRepoConfig(() => repository.loadConfig());
  if (loaded.ok) return loaded.config;
  if (request.trigger.kind !== "label" || request.labelName === intendedLabel(loaded.raw)) {
    await reply(`issue-agent cannot start: ${loaded.error.message}\n\n${loaded.error.hint ?? ""}`.trim());
  }
  log.info({ problem: loaded.error.message }, "invalid repository config");
  return undefined;
}
