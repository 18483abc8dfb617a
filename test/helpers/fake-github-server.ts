import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  path: string;
  body: any;
}

interface FakeGitHubOptions {
  token: string;
  cloneUrl: () => string;
  baseSha: () => string;
  /** Waited before each answer, as a remote GitHub's round trip (the benchmark's --github-latency). */
  latencyMs?: number;
}

/** Runs `handle` after `latencyMs`, or at once without one. */
export function afterLatency(latencyMs: number | undefined, handle: () => void): void {
  if (latencyMs) setTimeout(handle, latencyMs);
  else handle();
}

/**
 * GitHub's REST API as a real HTTP server (Enterprise-style, under /api/v3), for tests that run the
 * app in other processes where nock cannot reach. It answers what the app asks for a labeled
 * issue, from trigger to pull request, and records every call.
 */
export class FakeGitHubServer {
  readonly calls: RecordedCall[] = [];
  private readonly server = http.createServer((req, res) =>
    afterLatency(this.options.latencyMs, () => void this.handle(req, res)),
  );
  private nextId = 1_000;
  private nextPull = 100;
  private readonly options: FakeGitHubOptions;

  constructor(options: FakeGitHubOptions) {
    this.options = options;
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  callsTo(method: string, pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && pattern.test(c.path));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!.replace(/^\/api\/v3/, ""));
    const method = req.method ?? "GET";
    const body = text ? JSON.parse(text) : undefined;
    this.calls.push({ method, path, body });
    const [status, payload] = this.route(method, path, body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(payload));
  }

  private route(method: string, path: string, body: any): [number, unknown] {
    const repo = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
    const rest = repo ? path.slice(repo[0].length) : path;
    const is = (m: string, pattern: RegExp) => method === m && pattern.test(rest);
    if (!repo) {
      if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
        return [
          201,
          { token: this.options.token, expires_at: new Date(Date.now() + 3_600_000).toISOString() },
        ];
      }
      if (method === "GET" && path === "/app") return [200, { id: 1234, slug: "issue-agent" }];
      if (method === "GET" && path === "/users/issue-agent[bot]")
        return [200, { id: 98765, login: "issue-agent[bot]" }];
      return [404, { message: "Not Found" }];
    }
    const [, owner, name] = repo;
    if (is("GET", /^$/))
      return [
        200,
        { name, full_name: `${owner}/${name}`, clone_url: this.options.cloneUrl(), default_branch: "main" },
      ];
    if (is("GET", /^\/branches\/main$/))
      return [200, { name: "main", commit: { sha: this.options.baseSha() } }];
    if (is("GET", /^\/contents\//)) return [404, { message: "Not Found" }];
    if (is("GET", /^\/collaborators\/[^/]+\/permission$/))
      return [200, { permission: "write", role_name: "write" }];
    if (is("POST", /^\/issues\/comments\/\d+\/reactions$/)) return [201, { id: 1 }];
    const issue = /^\/issues\/(\d+)$/.exec(rest);
    if (method === "GET" && issue) {
      const number = Number(issue[1]);
      return [
        200,
        {
          number,
          title: `Issue ${number}`,
          body: `Please resolve ${number}.`,
          html_url: `http://fake/${owner}/${name}/issues/${number}`,
          user: { login: "reporter" },
        },
      ];
    }
    if (is("GET", /^\/issues\/\d+\/comments$/)) return [200, []];
    if (is("POST", /^\/issues\/\d+\/comments$/)) return [201, { id: this.nextId++ }];
    if (is("PATCH", /^\/issues\/comments\/\d+$/)) return [200, {}];
    if (is("POST", /^\/check-runs$/)) return [201, { id: this.nextId++ }];
    if (is("PATCH", /^\/check-runs\/\d+$/)) return [200, {}];
    if (is("POST", /^\/pulls$/)) {
      const number = this.nextPull++;
      return [201, { number, html_url: `http://fake/${owner}/${name}/pull/${number}`, head: body?.head }];
    }
    if (
      is("PATCH", /^\/pulls\/\d+$/) ||
      is("POST", /^\/pulls\/\d+\/requested_reviewers$/) ||
      is("POST", /^\/issues\/\d+\/labels$/)
    ) {
      return [200, {}];
    }
    return [404, { message: `fake GitHub has no route for ${method} ${path}` }];
  }
}
