import type OpenAI from "openai";
import { ModelMisbehaved, ModelUnavailable } from "../errors.ts";
import type { Model, ModelTurn } from "./model.ts";
import { asModelError, endpointWords, OpenAIEndpointModel } from "./openai-client.ts";
import { fromResponse, toResponsesInput, toResponsesTools } from "./responses-format.ts";

/**
 * The Responses API through the official SDK (OpenAI's newest models, and servers that offer it).
 * Streamed on request: the SDK's stream helper checks the event sequence and assembles the final
 * response, which is read the same way as an unstreamed one.
 */
export class OpenAIResponsesModel extends OpenAIEndpointModel {
  async complete(request: Parameters<Model["complete"]>[0]): Promise<ModelTurn> {
    const body = {
      model: this.name,
      input: toResponsesInput(request.messages),
      tools: toResponsesTools(request.tools),
      tool_choice: "auto" as const,
      store: false,
    };
    const options = request.signal ? { signal: request.signal } : {};
    let response: OpenAI.Responses.Response;
    try {
      response = this.stream
        ? await this.client.responses.stream(body, options).finalResponse()
        : await this.client.responses.create(body, options);
    } catch (error) {
      throw asModelError(error, this.name);
    }
    if (typeof response !== "object" || response === null || !Array.isArray(response.output)) {
      throw new ModelMisbehaved(
        `The model endpoint's answer is not a Responses API response: ${JSON.stringify(response)?.slice(0, 200) ?? String(response)}`,
        "Check that OPENAI_BASE_URL points at a server that offers the Responses API, or set `agent.api: chat_completions`.",
      );
    }
    if (response.status === "in_progress" || response.status === "queued") {
      // The SDK hands back its last snapshot when a stream ends early; a half answer is no answer.
      throw new ModelMisbehaved(
        "The model endpoint's answer could not be read: the stream ended before the response was complete.",
        "If it keeps happening, set `agent.stream: false` in .github/agent.yml, or check the server's Responses API support.",
      );
    }
    if (response.status === "failed") {
      throw new ModelUnavailable(
        `The model endpoint failed: ${endpointWords(`${response.error?.code ?? "error"} ${response.error?.message ?? "(no message)"}`)}`,
        "This is usually temporary.",
        { retryable: true },
      );
    }
    return fromResponse(response);
  }
}
