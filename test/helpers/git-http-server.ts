import { spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterLatency } from "./fake-github-server.ts";

/**
 * Git's smart-HTTP protocol over `git http-backend` (CGI), guarded by HTTP basic auth with the
 * installation token, so a test proves the token is actually sent, and sent only as a header.
 */
export class GitHttpServer {
  readonly authorizations: string[] = [];
  private readonly server: http.Server;
  private readonly projectRoot: string;
  private readonly token: string;

  /** `latencyMs`: waited before each answer, as a remote GitHub's round trip (see FakeGitHubServer). */
  constructor(options: { projectRoot: string; token: string; latencyMs?: number }) {
    this.projectRoot = options.projectRoot;
    this.token = options.token;
    this.server = http.createServer((req, res) =>
      afterLatency(options.latencyMs, () => this.handle(req, res)),
    );
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const expected = `Basic ${Buffer.from(`x-access-token:${this.token}`).toString("base64")}`;
    const given = req.headers.authorization ?? "";
    this.authorizations.push(given);
    if (given !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end("unauthorized");
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const backend = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: this.projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        REMOTE_USER: "x-access-token",
        REQUEST_METHOD: req.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      },
    });
    req.pipe(backend.stdin);
    // CGI output: headers, a blank line, then the body.
    let buffered = Buffer.alloc(0);
    let headersSent = false;
    backend.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      const headerLines = buffered.subarray(0, end).toString("utf8").split("\r\n");
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(buffered.subarray(end + 4));
    });
    backend.on("close", () => res.end());
  }

  /** The clone URL of a bare repository under the project root. */
  static cloneUrl(base: string, projectRoot: string, bare: string): string {
    return `${base}/${path.relative(projectRoot, bare)}`;
  }
}
