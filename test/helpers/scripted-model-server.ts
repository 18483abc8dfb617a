import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted model answers for one request: a tool call list, plain text, or an HTTP error. */
export type ScriptedTurn =
  | { toolCalls: Array<{ name: string; arguments: string | object }>; content?: string }
  | { content: string }
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Bytes sent as they are, e.g. a stream that breaks off. */
  | { status: number; raw: string; headers: Record<string, string> };

export interface RecordedRequest {
  /** Chat Completions requests carry `messages`; Responses requests carry `input`. */
  body: {
    model: string;
    messages: Array<{ role: string; content: unknown }>;
    input?: Array<Record<string, any>>;
    tools?: unknown[];
    stream?: boolean;
  };
  headers: http.IncomingHttpHeaders;
  /** Which API was called: `/chat/completions` or `/responses`. */
  api: "chat" | "responses";
}

/**
 * An OpenAI-compatible server that answers from a script, one turn per request, on both APIs
 * (Chat Completions and Responses), plain or streamed as server-sent events when the request asks
 * for `stream`, and records what the real `openai` SDK sent. Running out of script is answered
 * with a 500 so a test that expected fewer turns fails loudly.
 */
export type TurnSource = ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>);

export class ScriptedModelServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: TurnSource[];
  private readonly respond: ((request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>) | undefined;
  private readonly server: http.Server;
  private callCounter = 0;

  /**
   * @param script the turns in order, or one function that answers every request (for
   * conversations that arrive interleaved, e.g. from several workers)
   */
  constructor(script: TurnSource[] | ((request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>)) {
    this.script = Array.isArray(script) ? [...script] : [];
    this.respond = Array.isArray(script) ? undefined : script;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  get remainingTurns(): number {
    return this.script.length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const api = req.url?.endsWith("/chat/completions")
      ? "chat"
      : req.url?.endsWith("/responses")
        ? "responses"
        : undefined;
    if (req.method !== "POST" || !api) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const request: RecordedRequest = {
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      headers: req.headers,
      api,
    };
    this.requests.push(request);
    const next = this.respond ?? this.script.shift();
    if (!next) {
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "script exhausted" } }));
      return;
    }
    const turn = typeof next === "function" ? await next(request) : next;
    if ("raw" in turn) {
      res.writeHead(turn.status, turn.headers).end(turn.raw);
      return;
    }
    if ("status" in turn) {
      res
        .writeHead(turn.status, { "content-type": "application/json", ...turn.headers })
        .end(JSON.stringify(turn.body));
      return;
    }
    const calls =
      "toolCalls" in turn
        ? turn.toolCalls.map((call) => ({
            id: `call_${++this.callCounter}`,
            name: call.name,
            arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
          }))
        : [];
    const reply = {
      model: request.body.model,
      content: turn.content ?? null,
      calls,
      n: this.requests.length,
    };
    if (request.body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const events = api === "chat" ? chatChunks(reply) : responseEvents(reply);
      for (const event of events) res.write(event);
      res.end();
      return;
    }
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(api === "chat" ? chatCompletion(reply) : response(reply, "completed")));
  }
}

interface Reply {
  model: string;
  content: string | null;
  calls: Array<{ id: string; name: string; arguments: string }>;
  /** The request's number, for ids. */
  n: number;
}

const CHAT_USAGE = {
  prompt_tokens: 100,
  completion_tokens: 20,
  total_tokens: 120,
  prompt_tokens_details: { cached_tokens: 30 },
};
const RESPONSES_USAGE = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 30 },
  output_tokens: 20,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 120,
};

function chatCompletion(reply: Reply) {
  return {
    id: `chatcmpl-${reply.n}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        finish_reason: reply.calls.length ? "tool_calls" : "stop",
        message: {
          role: "assistant",
          content: reply.content,
          ...(reply.calls.length
            ? {
                tool_calls: reply.calls.map((call) => ({
                  id: call.id,
                  type: "function",
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
      },
    ],
    usage: CHAT_USAGE,
  };
}

/** Chat Completions streamed: role, content and argument deltas in pieces, then the usage chunk. */
function chatChunks(reply: Reply): string[] {
  const chunk = (choices: unknown[], extra: object = {}) =>
    `data: ${JSON.stringify({ id: `chatcmpl-${reply.n}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: reply.model, choices, ...extra })}\n\n`;
  const delta = (d: object, finish: string | null = null) =>
    chunk([{ index: 0, delta: d, finish_reason: finish }]);
  const events = [delta({ role: "assistant", content: "" })];
  for (const piece of halves(reply.content ?? "")) events.push(delta({ content: piece }));
  reply.calls.forEach((call, index) => {
    events.push(
      delta({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of halves(call.arguments))
      events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(delta({}, reply.calls.length ? "tool_calls" : "stop"));
  events.push(chunk([], { usage: CHAT_USAGE }));
  events.push("data: [DONE]\n\n");
  return events;
}

function outputItems(reply: Reply, status: "in_progress" | "completed") {
  const items: Array<Record<string, any>> = [];
  if (reply.content !== null) {
    items.push({
      id: `msg_${reply.n}`,
      type: "message",
      role: "assistant",
      status,
      content: status === "completed" ? [{ type: "output_text", text: reply.content, annotations: [] }] : [],
    });
  }
  for (const call of reply.calls) {
    items.push({
      id: `fc_${call.id}`,
      type: "function_call",
      call_id: call.id,
      name: call.name,
      arguments: status === "completed" ? call.arguments : "",
      status,
    });
  }
  return items;
}

function response(reply: Reply, status: "in_progress" | "completed") {
  return {
    id: `resp_${reply.n}`,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    model: reply.model,
    status,
    output: status === "completed" ? outputItems(reply, "completed") : [],
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    usage: status === "completed" ? RESPONSES_USAGE : null,
  };
}

/** Responses streamed: the event sequence the API sends, each item added, filled by deltas, done. */
function responseEvents(reply: Reply): string[] {
  let sequence = 0;
  const event = (type: string, data: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const events = [
    event("response.created", { response: response(reply, "in_progress") }),
    event("response.in_progress", { response: response(reply, "in_progress") }),
  ];
  const started = outputItems(reply, "in_progress");
  const done = outputItems(reply, "completed");
  started.forEach((item, output_index) => {
    const finished = done[output_index]!;
    events.push(event("response.output_item.added", { output_index, item }));
    if (item.type === "message") {
      const part = { type: "output_text", text: "", annotations: [] };
      const text = reply.content ?? "";
      const at = { item_id: item.id, output_index, content_index: 0 };
      events.push(event("response.content_part.added", { ...at, part }));
      for (const piece of halves(text))
        events.push(event("response.output_text.delta", { ...at, delta: piece, logprobs: [] }));
      events.push(event("response.output_text.done", { ...at, text, logprobs: [] }));
      events.push(event("response.content_part.done", { ...at, part: { ...part, text } }));
    } else {
      const at = { item_id: item.id, output_index };
      for (const piece of halves(finished.arguments))
        events.push(event("response.function_call_arguments.delta", { ...at, delta: piece }));
      events.push(
        event("response.function_call_arguments.done", {
          ...at,
          name: finished.name,
          arguments: finished.arguments,
        }),
      );
    }
    events.push(event("response.output_item.done", { output_index, item: finished }));
  });
  events.push(event("response.completed", { response: response(reply, "completed") }));
  return events;
}

/** A text in two pieces, so a client must put deltas together. */
function halves(text: string): string[] {
  if (text.length < 2) return text ? [text] : [];
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

/** Shorthand for a turn with one tool call. */
export function call(name: string, args: object | string = {}): ScriptedTurn {
  return { toolCalls: [{ name, arguments: args }] };
}
