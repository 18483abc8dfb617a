import { describe, expect, it } from "vitest";
import type { Response } from "openai/resources/responses/responses";
import { fromResponse, toResponsesInput, toResponsesTools } from "../../src/agent/responses-format.ts";

describe("the Responses API translation", () => {
  it("turns the chat-shaped conversation into input items, calls and outputs paired by id", () => {
    expect(
      toResponsesInput([
        { role: "system", content: "You are careful." },
        {
          role: "user",
          content: [
            { type: "text", text: "Fix " },
            { type: "text", text: "it." },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"a"}' } },
            { id: "call_2", type: "function", function: { name: "list_files", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "file text" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "a\nb" }] },
        { role: "assistant", content: "Done." },
      ]),
    ).toEqual([
      { role: "system", content: "You are careful." },
      { role: "user", content: "Fix it." },
      { type: "function_call", call_id: "call_1", name: "read_file", arguments: '{"path":"a"}' },
      { type: "function_call", call_id: "call_2", name: "list_files", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "file text" },
      { type: "function_call_output", call_id: "call_2", output: "a\nb" },
      { role: "assistant", content: "Done." },
    ]);
  });

  it("flattens tool definitions", () => {
    expect(
      toResponsesTools([
        {
          type: "function",
          function: { name: "finish", description: "End.", parameters: { type: "object" } },
        },
      ]),
    ).toEqual([
      {
        type: "function",
        name: "finish",
        description: "End.",
        parameters: { type: "object" },
        strict: false,
      },
    ]);
  });

  it("reads text, refusals and calls in order, skips reasoning, and takes the usage", () => {
    const turn = fromResponse({
      status: "completed",
      output: [
        { type: "reasoning", id: "rs_1", summary: [] },
        {
          type: "message",
          id: "msg_1",
          role: "assistant",
          status: "completed",
          content: [
            { type: "output_text", text: "Reading.", annotations: [] },
            { type: "refusal", refusal: "not that" },
          ],
        },
        { type: "function_call", id: "fc_1", call_id: "call_9", name: "read_file", arguments: "{}" },
      ],
      usage: {
        input_tokens: 1200,
        input_tokens_details: { cached_tokens: 1000 },
        output_tokens: 50,
        output_tokens_details: { reasoning_tokens: 10 },
        total_tokens: 1250,
      },
    } as unknown as Response);
    expect(turn).toEqual({
      message: {
        role: "assistant",
        content: "Reading.(refused: not that)",
        refusal: null,
        tool_calls: [{ id: "call_9", type: "function", function: { name: "read_file", arguments: "{}" } }],
      },
      usage: { promptTokens: 1200, cachedPromptTokens: 1000, completionTokens: 50 },
    });
  });
});
