import type OpenAI from "openai";
import { ModelMisbehaved, ModelUnavailable } from "../errors.ts";
import type { Model, ModelTurn } from "./model.ts";
import { asModelError, endpointWords, OpenAIEndpointModel } from "./openai-client.ts";

/**
 * Chat Completions through the official SDK; works with OpenAI and any compatible server
 * (OPENAI_BASE_URL). Streamed on request: the SDK puts the deltas together into the same
 * completion, and the usage comes in the stream's last chunk.
 */
export class OpenAIChatModel extends OpenAIEndpointModel {
  async complete(request: Parameters<Model["complete"]>[0]): Promise<ModelTurn> {
    const body = {
      model: this.name,
      messages: request.messages,
      tools: request.tools,
      tool_choice: "auto" as const,
    };
    const options = request.signal ? { signal: request.signal } : {};
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = this.stream
        ? await this.client.chat.completions
            .stream({ ...body, stream_options: { include_usage: true } }, options)
            .finalChatCompletion()
        : await this.client.chat.completions.create(body, options);
    } catch (error) {
      throw asModelError(error, this.name);
    }
    const message = response.choices?.[0]?.message;
    if (!message) throw answerWithoutMessage(response, this.name);
    return {
      message,
      usage: {
        promptTokens: response.usage?.prompt_tokens ?? 0,
        cachedPromptTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: response.usage?.completion_tokens ?? 0,
      },
    };
  }
}

/**
 * A successful answer without a message: a proxy's error object sent with HTTP 200 (OpenRouter and
 * others answer so when the provider behind them fails), or an empty list of choices.
 */
function answerWithoutMessage(response: unknown, model: string): Error {
  const error = (response as { error?: unknown } | null)?.error;
  if (error && typeof error === "object") {
    const said = (error as { message?: unknown }).message;
    return new ModelUnavailable(
      `The model endpoint answered with an error: ${endpointWords(typeof said === "string" ? said : JSON.stringify(error))}`,
      "This is usually temporary.",
      { retryable: true },
    );
  }
  return new ModelMisbehaved(
    `The model ${model} returned a response without a message.`,
    "Check that OPENAI_BASE_URL points at an OpenAI-compatible server that serves this model (`agent.model`, or ISSUE_AGENT_MODEL) for chat completions.",
  );
}
