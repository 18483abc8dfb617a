import OpenAI from "openai";
import { ConfigError, ModelMisbehaved, ModelUnavailable } from "../errors.ts";
import type { Model, ModelTurn } from "./model.ts";

/**
 * Chat Completions through the official SDK; works with OpenAI and any compatible server
 * (OPENAI_BASE_URL). The SDK retries 429/5xx/timeouts with backoff and honours retry-after.
 */
export class OpenAIChatModel implements Model {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(options: {
    model: string;
    apiKey: string | undefined;
    baseURL: string | undefined;
    timeoutMs?: number;
  }) {
    if (!options.apiKey && !options.baseURL) {
      throw new ConfigError(
        "No model endpoint is configured: OPENAI_API_KEY is not set.",
        "Set OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server) in the app's environment and restart it.",
      );
    }
    this.name = options.model;
    this.client = new OpenAI({
      // Local OpenAI-compatible servers often need no key, but the SDK insists on one.
      apiKey: options.apiKey ?? "no-key-required",
      baseURL: options.baseURL,
      maxRetries: 3,
      timeout: options.timeoutMs ?? 10 * 60_000,
    });
  }

  async complete(request: Parameters<Model["complete"]>[0]): Promise<ModelTurn> {
    let response: OpenAI.Chat.Completions.ChatCompletion;
    try {
      response = await this.client.chat.completions.create(
        { model: this.name, messages: request.messages, tools: request.tools, tool_choice: "auto" },
        request.signal ? { signal: request.signal } : {},
      );
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

function asModelError(error: unknown, model: string): Error {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new ModelUnavailable(
      `The model endpoint refused the credentials (HTTP ${error.status}).`,
      "Check OPENAI_API_KEY and OPENAI_BASE_URL in the app's environment.",
    );
  }
  if (error instanceof OpenAI.NotFoundError) {
    return new ModelUnavailable(
      `The model endpoint does not know the model "${model}" (HTTP 404).`,
      "Set `agent.model` in .github/agent.yml or ISSUE_AGENT_MODEL to a model the endpoint serves.",
    );
  }
  if (error instanceof OpenAI.APIError) {
    return new ModelUnavailable(
      `The model endpoint failed: ${error.status ?? "no status"} ${error.message}`,
      "This is usually temporary; comment `/agent` on the issue to retry.",
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
