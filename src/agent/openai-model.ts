import type OpenAI from "openai";
import { ModelMisbehaved } from "../errors.ts";
import type { Model, ModelTurn } from "./model.ts";
import { asModelError, OpenAIEndpointModel } from "./openai-client.ts";

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
    if (!message) {
      throw new ModelMisbehaved(`The model ${this.name} returned a response without a message.`);
    }
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
