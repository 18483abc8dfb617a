import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { z } from "zod";
import { JobCancelled, LimitsExceeded, ModelMisbehaved } from "../errors.ts";
import { formatDuration } from "../format-duration.ts";
import type { Model } from "./model.ts";
import { fitToContext } from "./context-budget.ts";
import { costOf, type ModelPrice } from "./pricing.ts";
import { executeToolCall } from "./tools/execute-tool-call.ts";
import type { AgentOutcome, Tool, ToolContext } from "./tools/tool.ts";

export interface AgentLimits {
  maxSteps: number;
  maxMs: number;
  maxTokens: number;
  /** Most tokens one request may carry; older tool output is left out to stay under it. */
  maxContextTokens?: number | undefined;
  /** US dollars; needs a price (checked by the caller). */
  maxCostUsd?: number | undefined;
  /** Turns in a row without a usable tool call before the model is judged unusable. */
  maxConsecutiveFormatErrors: number;
}

/** A maintainer's message, sent while the agent works; outside any untrusted fence, so it is an instruction. */
function steeringMessage(message: { by: string; text: string }): string {
  return `Message from the maintainer @${message.by}, sent while you were working. Take it into account from now on; where it conflicts with earlier instructions, it wins:\n${message.text}`;
}

const NUDGE =
  "Continue by calling one of the tools. When the work is complete call finish; if it cannot be done call give_up.";

/**
 * The agent loop: ask the model, run the tool calls it makes, feed the results back, until a
 * finishing tool is called or a limit is reached. Limits are checked before every model call, so
 * none can be overshot by more than one call.
 */
export async function runAgentLoop(options: {
  model: Model;
  tools: readonly Tool[];
  messages: ChatCompletionMessageParam[];
  limits: AgentLimits;
  context: ToolContext;
  /** Maintainers' messages that arrived since the last call; each is shown to the model once. */
  steering?: () => Array<{ by: string; text: string }>;
  /** The model's price; without one the cost stays unknown. */
  price?: ModelPrice | undefined;
  onStep?: (step: number) => void;
}): Promise<AgentOutcome> {
  const { model, tools, messages, limits, context } = options;
  const toolDefinitions = tools.map(toOpenAITool);
  // The tool definitions travel with every request and count against the context budget.
  const definitionsText = JSON.stringify(toolDefinitions);
  const log = context.log;
  let formatErrors = 0;
  // A resumed job adds to the time of its runs before the pause.
  const workedBefore = log.usage.agentMs ?? 0;
  const recordTime = () => {
    log.usage.agentMs = workedBefore + context.clock.elapsedMs();
  };

  try {
    for (;;) {
      recordTime();
      checkLimits(limits, context);
      for (const message of options.steering?.() ?? []) {
        log.maintainerMessages.push({ ...message, turn: log.turns + 1 });
        messages.push({ role: "user", content: steeringMessage(message) });
      }
      if (limits.maxContextTokens !== undefined) {
        const fitted = fitToContext(messages, limits.maxContextTokens, definitionsText);
        log.elidedToolOutputs += fitted.elided;
      }
      log.turns += 1;
      options.onStep?.(log.turns);
      const { calls, refusal } = await askModel(model, messages, toolDefinitions, context, {
        limits,
        price: options.price,
      });
      if (calls.length === 0) {
        formatErrors += 1;
        if (formatErrors >= limits.maxConsecutiveFormatErrors)
          throw misbehaved(formatErrors, refusal && context.publishable(refusal));
        messages.push({ role: "user", content: NUDGE });
        continue;
      }
      const { outcome, anyWellFormed } = await runCalls(calls, tools, messages, context, limits);
      if (outcome) return outcome;
      formatErrors = anyWellFormed ? 0 : formatErrors + 1;
      if (formatErrors >= limits.maxConsecutiveFormatErrors) throw misbehaved(formatErrors);
    }
  } finally {
    recordTime();
  }
}

/** Every limit, checked before each model call, so none is overshot by more than one call. */
function checkLimits(limits: AgentLimits, context: ToolContext): void {
  const { log, clock } = context;
  if (context.signal?.aborted) throw new JobCancelled("The job was stopped.");
  if (log.turns >= limits.maxSteps) {
    throw new LimitsExceeded(
      `The agent used all ${limits.maxSteps} turns without finishing.`,
      "Raise `agent.max_steps` in .github/agent.yml, or split the issue into smaller ones.",
    );
  }
  if (clock.elapsedMs() >= limits.maxMs) throw outOfTime(limits);
  const spent = log.usage.costUsd ?? 0;
  if (limits.maxCostUsd !== undefined && spent >= limits.maxCostUsd) {
    throw new LimitsExceeded(
      `The agent used its money budget ($${spent.toFixed(4)} of $${limits.maxCostUsd}) without finishing.`,
      "Raise `agent.max_cost_usd` in .github/agent.yml, or split the issue into smaller ones.",
    );
  }
  if (log.totalTokens >= limits.maxTokens) {
    throw new LimitsExceeded(
      `The agent used its token budget (${log.totalTokens} of ${limits.maxTokens}) without finishing.`,
      "Raise `agent.max_tokens` in .github/agent.yml, or split the issue into smaller ones.",
    );
  }
}

type FunctionCall = Extract<NonNullable<ChatCompletionMessage["tool_calls"]>[number], { type: "function" }>;

/**
 * One model call: its usage counted, its answer added to the conversation, its tool calls returned,
 * and what it said when it refused.
 */
async function askModel(
  model: Model,
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
  context: ToolContext,
  { limits, price }: { limits: AgentLimits; price: ModelPrice | undefined },
): Promise<{ calls: FunctionCall[]; refusal: string | undefined }> {
  const { log } = context;
  // The time limit holds during the call too: an endpoint that hangs, or answers slowly with
  // retries, must not keep the job past `agent.max_minutes`.
  const timeUp = AbortSignal.timeout(Math.max(0, limits.maxMs - context.clock.elapsedMs()));
  const turn = await model
    .complete({
      messages,
      tools,
      signal: context.signal ? AbortSignal.any([context.signal, timeUp]) : timeUp,
    })
    .catch((error: unknown) => {
      throw timeUp.aborted && !context.signal?.aborted ? outOfTime(limits) : error;
    });
  log.usage.modelCalls += 1;
  log.usage.promptTokens += turn.usage.promptTokens;
  log.usage.completionTokens += turn.usage.completionTokens;
  log.usage.cachedPromptTokens += turn.usage.cachedPromptTokens;
  if (price) log.usage.costUsd = (log.usage.costUsd ?? 0) + costOf(turn.usage, price);
  const calls = (turn.message.tool_calls ?? []).filter(
    (call): call is FunctionCall => call.type === "function",
  );
  const refusal = turn.message.refusal ?? undefined;
  messages.push({
    role: "assistant",
    // An assistant message needs content or tool calls: a refusal is its text.
    content: turn.message.content ?? (calls.length ? null : (refusal ?? "")),
    ...(calls.length ? { tool_calls: calls } : {}),
  });
  return { calls, refusal };
}

/**
 * Runs a turn's tool calls in order; once one finishes the run, the rest are answered, not run.
 * Time up, only a call that ends the run is still run.
 */
async function runCalls(
  calls: FunctionCall[],
  tools: readonly Tool[],
  messages: ChatCompletionMessageParam[],
  context: ToolContext,
  limits: AgentLimits,
): Promise<{ outcome: AgentOutcome | undefined; anyWellFormed: boolean }> {
  let outcome: AgentOutcome | undefined;
  let anyWellFormed = false;
  let late = false;
  for (const call of calls) {
    // A turn of many calls stops at the limit too, not only the next model call; a call that ends
    // the run (finish, give_up, a question) still counts: the model had ended it in time.
    const skipLate =
      !outcome &&
      !tools.find((tool) => tool.name === call.function.name)?.endsRun &&
      context.clock.elapsedMs() >= limits.maxMs;
    late ||= skipLate;
    const result = outcome
      ? { wellFormed: true, output: "skipped: the run already finished" }
      : skipLate
        ? { wellFormed: true, output: "skipped: the time limit was reached" }
        : await executeToolCall(
            tools,
            { name: call.function.name, arguments: call.function.arguments },
            context,
          );
    anyWellFormed ||= result.wellFormed;
    outcome ??= "outcome" in result ? result.outcome : undefined;
    messages.push({ role: "tool", tool_call_id: call.id, content: result.output });
  }
  if (late && !outcome) throw outOfTime(limits);
  return { outcome, anyWellFormed };
}

function outOfTime(limits: AgentLimits): LimitsExceeded {
  return new LimitsExceeded(
    `The agent ran out of time (${formatDuration(limits.maxMs)}) without finishing.`,
    "Raise `agent.max_minutes` in .github/agent.yml, or split the issue into smaller ones.",
  );
}

function misbehaved(count: number, refusal?: string): ModelMisbehaved {
  if (refusal) {
    return new ModelMisbehaved(
      `The model refused ${count} times in a row, so the run was stopped. It said: “${refusal.slice(0, 1_000)}”`,
      "Rephrase the issue if it can be misread, or set `agent.model` in .github/agent.yml to another model.",
    );
  }
  return new ModelMisbehaved(
    `The model answered ${count} times in a row without a usable tool call, so the run was stopped.`,
    "Check that the configured model supports tool calling (function calling).",
  );
}

/** Each tool's parameters as JSON Schema, made once per process: the same tools start every job. */
const jsonSchemas = new WeakMap<Tool["parameters"], Record<string, unknown>>();

function toOpenAITool(tool: Tool): ChatCompletionTool {
  let parameters = jsonSchemas.get(tool.parameters);
  if (!parameters) {
    const { $schema: _schema, ...schema } = z.toJSONSchema(tool.parameters) as Record<string, unknown>;
    parameters = schema;
    jsonSchemas.set(tool.parameters, parameters);
  }
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}
