import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";

/** One model turn: the assistant message and what it cost. */
export interface ModelTurn {
  message: ChatCompletionMessage;
  /** `cachedPromptTokens` counts the prompt tokens the provider served from its cache. */
  usage: { promptTokens: number; cachedPromptTokens: number; completionTokens: number };
}

/** The LLM as the agent loop sees it. The OpenAI SDK implements it; tests use a scripted server. */
export interface Model {
  readonly name: string;
  complete(request: {
    messages: ChatCompletionMessageParam[];
    tools: ChatCompletionTool[];
    signal?: AbortSignal;
  }): Promise<ModelTurn>;
}
