import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted model answers for one request: a tool call list, plain text, or an HTTP error. */
export type ScriptedTurn =
  | { toolCalls: Array<{ name: string; arguments: string | object }>; content?: string }
  | { content: string }
  | { status: number; body: unknown; headers?: Record<string, string> };

export interface RecordedRequest {
  body: { model: string; messages: Array<{ role: string; content: unknown }>; tools?: unknown[] };
  headers: http.IncomingHttpHeaders;
}

/**
 * An OpenAI-compatible Chat Completions server that answers from a script, one turn per request,
 * and records what the real `openai` SDK sent. Running out of script is answered with a 500 so a
 * test that expected fewer turns fails loudly.
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
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const request: RecordedRequest = {
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      headers: req.headers,
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
    if ("status" in turn) {
      res
        .writeHead(turn.status, { "content-type": "application/json", ...turn.headers })
        .end(JSON.stringify(turn.body));
      return;
    }
    const toolCalls =
      "toolCalls" in turn
        ? turn.toolCalls.map((call) => ({
            id: `call_${++this.callCounter}`,
            type: "function",
            function: {
              name: call.name,
              arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
            },
          }))
        : undefined;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: request.body.model,
        choices: [
          {
            index: 0,
            finish_reason: toolCalls ? "tool_calls" : "stop",
            message: {
              role: "assistant",
              content: turn.content ?? null,
              ...(toolCalls ? { tool_calls: toolCalls } : {}),
            },
          },
        ],
        usage: {
          prompt_tokens: 100,
          completion_tokens: 20,
          total_tokens: 120,
          prompt_tokens_details: { cached_tokens: 30 },
        },
      }),
    );
  }
}

/** Shorthand for a turn with one tool call. */
export function call(name: string, args: object | string = {}): ScriptedTurn {
  return { toolCalls: [{ name, arguments: args }] };
}
