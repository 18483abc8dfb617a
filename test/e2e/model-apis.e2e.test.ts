import { describe, expect, it } from "vitest";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

const script = () => [
  {
    content: "I will read the greeting first.",
    toolCalls: [{ name: "read_file", arguments: { path: "src/greet.js" } }],
  },
  testGreeting,
  fixGreeting,
  call("finish", {
    title: "Punctuate the greeting",
    summary: "greet() now says `Hello, <name>!`.",
    rationale: "The issue asks for punctuation.",
  }),
];

describe.each([
  { api: "chat_completions", stream: true, path: "chat" },
  { api: "responses", stream: false, path: "responses" },
  { api: "responses", stream: true, path: "responses" },
] as const)("the $api API, stream: $stream", ({ api, stream, path }) => {
  it("takes an issue to a pull request, with the usage counted from the answers", async () => {
    const { h, record } = await runLabeledJob(script(), {
      config: `agent:\n  api: ${api}\n  stream: ${stream}\n`,
      pullRequests: 1,
    });
    expect(h.model.requests.map((request) => [request.api, Boolean(request.body.stream)])).toEqual(
      Array(4).fill([path, stream]),
    );
    expect(record.pulls[0]!.body).toContain("greet() now says `Hello, <name>!`.");
    expect(record.pulls[0]!.body).toContain(
      "4 model calls, 400 prompt tokens, 80 completion tokens (480 total, 120 prompt tokens from the provider's cache)",
    );
    if (api === "chat_completions") {
      expect(h.model.requests[0]!.body).toMatchObject({ stream_options: { include_usage: true } });
      return;
    }
    // The whole conversation travels each time: the call and its output, paired by call id.
    const second = h.model.requests[1]!.body as unknown as {
      input: Array<Record<string, any>>;
      tools: Array<Record<string, any>>;
      store: boolean;
    };
    expect(second.store).toBe(false);
    expect(second.input[0]).toMatchObject({ role: "system" });
    expect(second.input[1]).toMatchObject({ role: "user" });
    const [said, called, output] = second.input.slice(2);
    expect(said).toEqual({ role: "assistant", content: "I will read the greeting first." });
    expect(called).toMatchObject({ type: "function_call", name: "read_file" });
    expect(JSON.parse(called!.arguments as string)).toEqual({ path: "src/greet.js" });
    expect(output).toMatchObject({ type: "function_call_output", call_id: called!.call_id });
    expect(output!.output).toContain('return "Hello " + name;');
    expect(second.tools.find((tool) => tool.name === "finish")).toMatchObject({
      type: "function",
      strict: false,
    });
  });
});

describe("a model endpoint whose answer cannot be read", () => {
  it("ends the job with a message naming the endpoint, not a crash", async () => {
    const { record } = await runLabeledJob([{ status: 200, body: "<html>gateway page</html>" }], {
      config: "agent:\n  api: responses\n",
    });
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.title).toContain("stopped: the model's answers were unusable");
    expect(final.output.summary).toContain("The model endpoint's answer could not be read:");
    expect(final.output.summary).toContain("offers the API in `agent.api`");
  });

  it("ends the job the same way when a stream breaks off before the response is complete", async () => {
    const created = {
      type: "response.created",
      sequence_number: 0,
      response: {
        id: "resp_1",
        object: "response",
        status: "in_progress",
        output: [],
        created_at: 0,
        model: "m",
      },
    };
    const { record } = await runLabeledJob(
      [
        {
          status: 200,
          headers: { "content-type": "text/event-stream" },
          raw: `event: response.created\ndata: ${JSON.stringify(created)}\n\n`,
        },
      ],
      { config: "agent:\n  api: responses\n  stream: true\n" },
    );
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.summary).toContain("The model endpoint's answer could not be read:");
    expect(final.output.summary).toContain("set `agent.stream: false`");
  });
});
