import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { runAgentLoop } from "../agent/agent-loop.ts";
import type { ApprovalSource } from "../agent/approval.ts";
import { JobClock } from "../agent/job-clock.ts";
import { priceFor, type ModelPrice } from "../agent/pricing.ts";
import { defaultTools } from "../agent/tools/default-tools.ts";
import type { AgentOutcome, ToolContext } from "../agent/tools/tool.ts";
import { ConfigError } from "../errors.ts";
import { StepDelivery } from "../gates/deliver-step.ts";
import { codeSpan, neutralizeModelMarkdown } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import type { Job } from "../jobs/job.ts";
import type { Conversation } from "./build-conversation.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";
import type { PreparedWorkspace } from "./prepare-workspace.ts";
import type { IssueAtHand } from "./read-issue.ts";
import { rerunPausedCall, type Resumed } from "./resume.ts";
import { shortCommand } from "./short-command.ts";

export interface AgentRun {
  outcome: AgentOutcome;
  /** The conversation as it ended; a pause keeps it to go on from. */
  messages: ChatCompletionMessageParam[];
  modelName: string;
}

/**
 * The agent, inside the guardrails: the model's tool calls run in the sandbox, each step it
 * delivers passes the gates, and the job's limits (turns, time, tokens, money) hold. The signal of
 * job control reaches the model call, the running command and the gates.
 */
export async function runAgent(
  run: JobRun,
  control: JobControl,
  input: { at: IssueAtHand; prepared: PreparedWorkspace; conversation: Conversation; resumed: Resumed },
): Promise<AgentRun> {
  const { deps, reporter, log } = run;
  const { config } = run.job;
  const model = deps.modelFor(run.job);
  const { messages, truncationNote } = input.conversation;
  if (truncationNote) void reporter.note(truncationNote);
  reporter.progress.log = log;
  void reporter.phase("The agent is working");
  const tools = deps.tools ?? defaultTools;
  const price = priceFor(model.name, priceOverride(config), deps.modelPrices);
  if (config.agent.max_cost_usd !== undefined && !price) {
    throw new ConfigError(
      `\`agent.max_cost_usd\` is set, but the model "${model.name}" has no known price, so the budget cannot be kept.`,
      "Set `agent.price` in .github/agent.yml (USD per million input and output tokens), or have the app's operator price the model with ISSUE_AGENT_MODEL_PRICES.",
    );
  }
  const context = toolContext(run, control, input);
  // Resumed after an approval request: the paused command is judged again, now with the decision.
  if (input.resumed.approval) await rerunPausedCall(messages, tools, context);
  const outcome = await runAgentLoop({
    model: run.trajectory.model(model, price),
    tools: run.trajectory.tools(tools),
    messages,
    limits: {
      maxSteps: config.agent.max_steps,
      maxMs: config.agent.max_minutes * 60_000,
      maxTokens: config.agent.max_tokens,
      maxCostUsd: config.agent.max_cost_usd,
      maxContextTokens: config.agent.context_tokens,
      maxConsecutiveFormatErrors: 3,
    },
    price,
    context,
    steering: () => control.undelivered.splice(0),
    onStep: (step) => {
      if (step % 5 === 0) void reporter.phase(`The agent is working (turn ${step})`);
    },
  });
  return { outcome, messages, modelName: model.name };
}

/** What the tools work with: the workspace, its sandbox, the policies, and step delivery. */
function toolContext(
  run: JobRun,
  control: JobControl,
  input: { at: IssueAtHand; prepared: PreparedWorkspace; resumed: Resumed },
): ToolContext {
  const { deps, log, forge, job } = run;
  const { config } = job;
  const { workspace, dir, paths, sandbox, tests } = input.prepared;
  const clock = new JobClock();
  const maxMs = config.agent.max_minutes * 60_000;
  const { signal } = control;
  return {
    workspace: dir,
    sandbox,
    config,
    paths,
    log,
    clock,
    redact: (text) => deps.redactor.redact(text),
    publishable: (text) =>
      deps.redactor.redact(
        neutralizeModelMarkdown(text, {
          githubHost: forgeHost(input.at.repository.cloneUrl),
          repository: `${job.trigger.owner}/${job.trigger.repo}`,
          requester: job.trigger.sender,
        }),
      ),
    remainingMs: () => maxMs - clock.elapsedMs(),
    approvalFor: deps.approvalFor ?? resumedDecision(run, input.resumed),
    delivery: new StepDelivery({
      workspace,
      config,
      paths,
      tests,
      sandbox,
      log,
      author: () => forge.commitAuthor(),
      issueNumber: input.at.issue.number,
      waivedBy: () => control.waivedBy,
      signal,
    }),
    signal,
  };
}

/** On GitHub: the decision a resumed job carries, for its command, once; anything else pauses to ask. */
function resumedDecision(run: JobRun, resumed: Resumed): ApprovalSource {
  let decision = resumed.approval;
  return async (command) => {
    if (decision?.command !== command) return undefined;
    const given = decision.answer;
    decision = undefined;
    const shown = shortCommand(command).slice(0, 200);
    await run.reporter.note(
      given.decision === "timed out"
        ? `No answer to the approval request for ${codeSpan(shown)}; it was not run.`
        : `@${given.by} ${given.decision} ${codeSpan(shown)}.`,
    );
    return given;
  };
}

/**
 * The host whose links the model may write as links: the clone URL's. A local run clones a path
 * (no host); its PR description is meant for GitHub, so github.com's links stay links there.
 */
function forgeHost(cloneUrl: string): string {
  return (URL.canParse(cloneUrl) && new URL(cloneUrl).host) || "github.com";
}

/** The repository's `agent.price`, in the price table's shape. */
function priceOverride(config: Job["config"]): ModelPrice | undefined {
  const price = config.agent.price;
  if (!price) return undefined;
  return {
    inputPerMillion: price.input_per_million,
    ...(price.cached_input_per_million === undefined
      ? {}
      : { cachedInputPerMillion: price.cached_input_per_million }),
    outputPerMillion: price.output_per_million,
  };
}
