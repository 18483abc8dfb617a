import type { AgentConfig } from "../config/agent-config.schema.ts";
import type { Settings } from "../settings.ts";
import type { Model } from "./model.ts";
import type { EndpointOptions } from "./openai-client.ts";
import { OpenAIChatModel } from "./openai-model.ts";
import { OpenAIResponsesModel } from "./openai-responses-model.ts";

export type ModelApi = "chat_completions" | "responses";

/** The model client for the API and streaming mode chosen by config. */
export function createModel(
  options: EndpointOptions & { model: string; api: ModelApi; stream: boolean },
): Model {
  return options.api === "responses" ? new OpenAIResponsesModel(options) : new OpenAIChatModel(options);
}

/** The model a repository's config asks for, with the app's settings filling what it leaves out. */
export function modelForConfig(
  config: AgentConfig,
  settings: Pick<
    Settings,
    | "ISSUE_AGENT_MODEL"
    | "ISSUE_AGENT_MODEL_API"
    | "ISSUE_AGENT_MODEL_STREAM"
    | "OPENAI_API_KEY"
    | "OPENAI_BASE_URL"
  >,
): Model {
  return createModel({
    model: config.agent.model ?? settings.ISSUE_AGENT_MODEL,
    api: config.agent.api ?? settings.ISSUE_AGENT_MODEL_API,
    stream: config.agent.stream ?? settings.ISSUE_AGENT_MODEL_STREAM,
    apiKey: settings.OPENAI_API_KEY,
    baseURL: settings.OPENAI_BASE_URL,
  });
}
