import OpenAI from "openai";
import { ConfigError, ModelMisbehaved, ModelUnavailable } from "../errors.ts";
import { codeSpan } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import type { Model, ModelTurn } from "./model.ts";

export interface EndpointOptions {
  apiKey: string | undefined;
  baseURL: string | undefined;
  timeoutMs?: number;
}

/**
 * The SDK client both APIs use. The SDK retries 429, 5xx and timeouts with backoff, honouring
 * `retry-after`; a stream is retried only until its first byte, after that a break is a failure.
 */
export function openAIClient(options: EndpointOptions): OpenAI {
  if (!options.apiKey && !options.baseURL) {
    throw new ConfigError(
      "No model endpoint is configured: OPENAI_API_KEY is not set.",
      "Set OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server) in the app's environment and restart it.",
    );
  }
  return new OpenAI({
    // Local OpenAI-compatible servers often need no key, but the SDK insists on one.
    apiKey: options.apiKey ?? "no-key-required",
    baseURL: options.baseURL,
    maxRetries: 3,
    timeout: options.timeoutMs ?? 10 * 60_000,
  });
}

/** An SDK failure as the error the job reports, with what to do about it. */
export function asModelError(error: unknown, model: string): Error {
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
      "Set `agent.model` in .github/agent.yml or ISSUE_AGENT_MODEL to a model the endpoint serves, or check `agent.api`: not every server offers the Responses API.",
    );
  }
  if (error instanceof OpenAI.APIError) {
    // The SDK's message starts with the status when there is one ("500 upstream exploded").
    const status = error.status && !error.message.startsWith(String(error.status)) ? `${error.status} ` : "";
    return new ModelUnavailable(
      `The model endpoint failed: ${endpointWords(`${status}${error.message}`)}`,
      "This is usually temporary.",
      { retryable: true },
    );
  }
  if (error instanceof OpenAI.OpenAIError || error instanceof TypeError || error instanceof SyntaxError) {
    // The SDK could not make sense of the answer: not JSON, not the API's shape, a broken stream.
    return new ModelMisbehaved(
      `The model endpoint's answer could not be read: ${endpointWords(error.message)}`,
      "Check that OPENAI_BASE_URL points at an OpenAI-compatible server that offers the API in `agent.api`; if only streaming fails, set `agent.stream: false`.",
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What both API clients share: the model's name, the SDK client, and whether to stream. */
export abstract class OpenAIEndpointModel implements Model {
  readonly name: string;
  protected readonly client: OpenAI;
  protected readonly stream: boolean;

  constructor(options: EndpointOptions & { model: string; stream?: boolean }) {
    this.name = options.model;
    this.client = openAIClient(options);
    this.stream = options.stream ?? false;
  }

  abstract complete(request: Parameters<Model["complete"]>[0]): Promise<ModelTurn>;
}

/**
 * What the endpoint said, as it reaches comments and check runs: the endpoint's text, not the app's,
 * so inline code (no mention, link or image of its own). Not cut here: the redactor that comes
 * after must see a secret whole (check runs and comments are cut to fit where they are written).
 */
export function endpointWords(text: string): string {
  return codeSpan(text);
}
