import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Model, ModelTurn } from "../../src/agent/model.ts";

/** One scripted answer: tool calls, or plain text (a malformed answer: no tool call). */
export type Answer =
  { call: string; args: object } | { calls: Array<{ call: string; args: object }> } | { text: string };

/**
 * A `Model` in the test's own process, answering from a script: no HTTP, so a whole job runs in
 * well under a second of model time. Each answer may be a function of the conversation so far, to
 * assert on what the agent was told. Running out of script fails the job loudly.
 */
export class ScriptedModel implements Model {
  readonly name = "scripted";
  /** The conversation as each request carried it. */
  readonly requests: ChatCompletionMessageParam[][] = [];
  private readonly script: Array<
    Answer | ((messages: ChatCompletionMessageParam[]) => Answer | Promise<Answer>)
  >;

  constructor(script: ScriptedModel["script"]) {
    this.script = [...script];
  }

  async complete(request: {
    messages: ChatCompletionMessageParam[];
    signal?: AbortSignal;
  }): Promise<ModelTurn> {
    this.requests.push(structuredClone(request.messages));
    const next = this.script.shift();
    if (!next) throw new Error(`the scripted model has no answer for request ${this.requests.length}`);
    const answer = typeof next === "function" ? await next(request.messages) : next;
    const calls = "text" in answer ? [] : "calls" in answer ? answer.calls : [answer];
    return {
      message: {
        role: "assistant",
        content: "text" in answer ? answer.text : null,
        refusal: null,
        ...(calls.length
          ? {
              tool_calls: calls.map((c, i) => ({
                id: `call_${this.requests.length}_${i}`,
                type: "function" as const,
                function: { name: c.call, arguments: JSON.stringify(c.args) },
              })),
            }
          : {}),
      },
      usage: { promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5 },
    };
  }
}
