import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type { FunctionTool, Response, ResponseInputItem } from "openai/resources/responses/responses";
import type { ModelTurn } from "./model.ts";

/**
 * The conversation is kept in Chat Completions' shape (the loop, the context budget and a paused
 * job's snapshot all read it); these functions translate it to the Responses API and back. Each
 * request carries the whole conversation (`store: false`), so nothing depends on state kept by
 * the provider and any OpenAI-compatible server can answer.
 */
export function toResponsesInput(messages: readonly ChatCompletionMessageParam[]): ResponseInputItem[] {
  const input: ResponseInputItem[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer":
      case "user":
        input.push({ role: message.role, content: textOf(message.content) });
        break;
      case "assistant": {
        const text = textOf(message.content ?? "");
        if (text) input.push({ role: "assistant", content: text });
        for (const call of message.tool_calls ?? []) {
          if (call.type !== "function") continue;
          input.push({
            type: "function_call",
            call_id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
          });
        }
        break;
      }
      case "tool":
        input.push({
          type: "function_call_output",
          call_id: message.tool_call_id,
          output: textOf(message.content),
        });
        break;
      default:
        // Legacy `function` messages: the harness never writes them.
        break;
    }
  }
  return input;
}

/** Chat tool definitions as Responses function tools (non-strict: the schemas have optional fields). */
export function toResponsesTools(tools: readonly ChatCompletionTool[]): FunctionTool[] {
  return tools.flatMap((tool) =>
    tool.type === "function"
      ? [
          {
            type: "function" as const,
            name: tool.function.name,
            description: tool.function.description ?? null,
            parameters: (tool.function.parameters as Record<string, unknown> | undefined) ?? null,
            strict: false,
          },
        ]
      : [],
  );
}

/**
 * A response as one assistant turn: its text (refusals included, so the model's reason is seen)
 * and its function calls in order. Reasoning items are not carried over: with `store: false` they
 * could only travel encrypted, and the conversation's shape has no place for them.
 */
export function fromResponse(response: Response): ModelTurn {
  const texts: string[] = [];
  const toolCalls: NonNullable<ChatCompletionMessage["tool_calls"]> = [];
  for (const item of response.output ?? []) {
    if (item.type === "message") {
      for (const part of item.content)
        texts.push(part.type === "output_text" ? part.text : `(refused: ${part.refusal})`);
    } else if (item.type === "function_call") {
      toolCalls.push({
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments },
      });
    }
  }
  return {
    message: {
      role: "assistant",
      content: texts.length ? texts.join("") : null,
      refusal: null,
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    },
    usage: {
      promptTokens: response.usage?.input_tokens ?? 0,
      cachedPromptTokens: response.usage?.input_tokens_details?.cached_tokens ?? 0,
      completionTokens: response.usage?.output_tokens ?? 0,
    },
  };
}

function textOf(content: string | ReadonlyArray<{ type: string; text?: string }>): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
}
