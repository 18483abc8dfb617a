import { DEFAULT_TRIGGER_LABEL, type AgentConfig } from "../config/agent-config.schema.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import { helpText } from "../report/render-command-replies.ts";
import { answerForJob } from "./answer-for-job.ts";
import type { Log, TriggerDependencies } from "./intake-context.ts";
import { onPullRequestEvent, revise } from "./pull-request-requests.ts";
import { configOrReply, start } from "./start-job.ts";
import type { TriggerRequest } from "./trigger.ts";

export type { TriggerDependencies } from "./intake-context.ts";

/**
 * The intake stage for a recorded request (see Intake): acknowledges an `/agent` comment, asks
 * the host whether the sender may ask, then carries out the command: start (or steer the running
 * job), stop, status, approve/deny, retry, help. Never runs on the webhook's clock.
 */
export async function handleTrigger(
  request: TriggerRequest,
  repository: RepositoryForge,
  deps: TriggerDependencies,
  log: Log,
): Promise<void> {
  if (request.pullRequestEvent) {
    await onPullRequestEvent(request, request.pullRequestEvent, repository, deps, log);
    return;
  }
  const { trigger } = request;
  const reply = (body: string) => repository.comment(trigger.issueNumber, body);
  if (trigger.kind === "comment" && trigger.commentId !== undefined) {
    // Acknowledge first so the person sees they were heard.
    await repository
      .acknowledgeComment(trigger.commentId)
      .catch((error: unknown) => log.warn({ err: error }, "could not react to the comment"));
  }

  // 1. A label only counts if it is the configured one, so the config comes first for labels; a
  //    comment is authorized first, so `/agent stop` works even while the config is broken.
  let config: AgentConfig | undefined;
  let access: Promise<boolean> | undefined;
  if (trigger.kind === "label") {
    // The usual trigger label: the sender's access is asked for while the config is read, a round
    // trip to GitHub fewer before the job starts. Any other label waits for the config, so the
    // labels a busy repository adds all day cost no permission check.
    if (request.labelName === DEFAULT_TRIGGER_LABEL) {
      access = repository.hasWriteAccess(trigger.sender);
      access.catch(() => undefined); // awaited by authorize, unless the config ends the request first
    }
    config = await configOrReply(repository, request, reply, log);
    if (!config) return;
    if (request.labelName !== config.trigger.label) {
      log.debug({ label: request.labelName }, "label is not the trigger label");
      return;
    }
  }

  // 2. Only people with write access may ask; asked of the host, never the payload.
  if (!(await authorize(request, access ?? repository.hasWriteAccess(trigger.sender), reply, log))) return;

  // 3. Commands that need no config, then requests on a pull request, then the issue's job.
  if (await answerHelp(request, config, reply)) return;
  if (request.onPullRequest) return void (await revise(request, repository, deps, reply, log));
  const latest = await deps.store.latestForIssue(trigger);
  if (await answerForJob(request, latest, deps, reply, log)) return;

  // 4. Start work: record and enqueue; one active job per issue.
  config ??= await configOrReply(repository, request, reply, log);
  if (!config) return;
  const { command } = request;
  if (command.verb === "skip-tests") {
    const instructions = command.instructions || undefined;
    return void (await start(
      { ...trigger, instructions, waivedBy: trigger.sender },
      config,
      deps,
      reply,
      log,
    ));
  }
  const instructions = command.verb === "retry" ? latest?.trigger.instructions : trigger.instructions;
  await start({ ...trigger, instructions }, config, deps, reply, log);
}

/** Whether the sender has write access (as the host answered); someone who asks without it is told so. */
async function authorize(
  request: TriggerRequest,
  access: Promise<boolean>,
  reply: (body: string) => Promise<unknown>,
  log: Log,
): Promise<boolean> {
  const { kind, sender } = request.trigger;
  if (await access) return true;
  // Anyone may review a pull request; a review from someone without write access is simply not
  // a request to the agent, so it gets no reply.
  if (kind === "review") {
    log.info({ sender }, "review by someone without write access");
    return false;
  }
  await reply(
    `@${sender}, issue-agent only acts for people with write access to this repository. A maintainer can label the issue or comment \`/agent\`.`,
  );
  log.info({ sender }, "refused: sender lacks write access");
  return false;
}

/** `/agent help`, and a single word that is no command, get the help text; true when answered. */
async function answerHelp(
  request: TriggerRequest,
  config: AgentConfig | undefined,
  reply: (body: string) => Promise<unknown>,
): Promise<boolean> {
  const { command } = request;
  const label = config?.trigger.label;
  if (command.verb === "help") {
    await reply(helpText(label));
    return true;
  }
  if (command.verb === "unknown") {
    await reply(`\`/agent ${command.word}\` is not an issue-agent command.\n\n${helpText(label)}`);
    return true;
  }
  return false;
}
