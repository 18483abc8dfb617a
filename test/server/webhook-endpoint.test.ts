import { createHmac } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { webhookEndpoint, type Delivery } from "../../src/server/webhook-endpoint.ts";
import { issueCommentEdited, issuesLabeled } from "../fixtures/events.ts";

const SECRET = "endpoint-secret";
const quiet = { debug() {}, info() {}, warn(_msg: unknown) {}, error(_msg: unknown) {} };

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** The endpoint in a server as Probot's runs its added handlers: unclaimed requests get a 404. */
async function serve(env: NodeJS.ProcessEnv, log: typeof quiet = quiet, failing = false) {
  const received: Array<{ delivery: Delivery; event: string }> = [];
  const handle = webhookEndpoint({
    env,
    events: ["issues.labeled", "issue_comment.created"],
    receive: async (delivery, event) => {
      if (failing) throw new Error("the delivery log is unreachable");
      received.push({ delivery, event });
    },
    log,
  });
  server = http.createServer((req, res) => {
    void handle(req, res).then((claimed) => {
      if (!claimed) res.writeHead(404).end("not the endpoint");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received };
}

function post(url: string, event: { name: string; payload: unknown }, secret = SECRET, id = "d-1") {
  const body = JSON.stringify(event.payload);
  return fetch(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event.name,
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  });
}

const labeled = issuesLabeled({ owner: "octo-org", repo: "hello-world", issueNumber: 7 });

describe("the app's webhook endpoint", () => {
  it("hands a signed delivery of a listed event to the receiver, then answers", async () => {
    const { base, received } = await serve({ WEBHOOK_SECRET: SECRET });
    const response = await post(`${base}/api/github/webhooks`, labeled);
    expect(response.status).toBe(200);
    expect(received).toEqual([
      { delivery: { id: "d-1", name: "issues", payload: labeled.payload }, event: "issues.labeled" },
    ]);
  });

  it("refuses a delivery signed with another secret, and receives nothing", async () => {
    const { base, received } = await serve({ WEBHOOK_SECRET: SECRET });
    const response = await post(`${base}/api/github/webhooks`, labeled, "forged");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("signature does not match");
    expect(received).toEqual([]);
  });

  it("logs a refused delivery as one warning line, and a failed receiver as its error", async () => {
    const lines: Array<[string, unknown]> = [];
    // A logger whose methods are its prototype's, as pino's are.
    class PrototypeLog {
      debug() {}
      info() {}
      warn(msg: unknown) {
        lines.push(["warn", msg]);
      }
      error(msg: unknown) {
        lines.push(["error", msg]);
      }
    }
    const log = new PrototypeLog();
    const refusing = await serve({ WEBHOOK_SECRET: SECRET }, log);
    expect((await post(`${refusing.base}/api/github/webhooks`, labeled, "forged")).status).toBe(400);
    expect(lines).toEqual([
      [
        "warn",
        "webhook refused (400): [@octokit/webhooks] signature does not match event payload and secret",
      ],
    ]);
    lines.length = 0;
    server?.closeAllConnections();
    server?.close();
    const failing = await serve({ WEBHOOK_SECRET: SECRET }, log, true);
    expect((await post(`${failing.base}/api/github/webhooks`, labeled)).status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe("error");
    expect((lines[0]![1] as Error).message).toBe("the delivery log is unreachable");
  });

  it("answers an event the app does not take without receiving it", async () => {
    const { base, received } = await serve({ WEBHOOK_SECRET: SECRET });
    const edited = issueCommentEdited({ owner: "octo-org", repo: "hello-world", issueNumber: 7, body: "x" });
    expect((await post(`${base}/api/github/webhooks`, edited)).status).toBe(200);
    expect(received).toEqual([]);
  });

  it("serves WEBHOOK_PATH, leaves every other path to the next handler, and uses Probot's default secret", async () => {
    const { base, received } = await serve({ WEBHOOK_PATH: "/hooks/github" });
    expect((await post(`${base}/api/github/webhooks`, labeled, "development")).status).toBe(404);
    expect((await post(`${base}/hooks/github`, labeled, "development")).status).toBe(200);
    expect(received.map(({ event }) => event)).toEqual(["issues.labeled"]);
  });

  it("says what is missing from a request that is not a GitHub delivery", async () => {
    const { base, received } = await serve({ WEBHOOK_SECRET: SECRET });
    const response = await fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Required headers missing");
    expect(received).toEqual([]);
  });
});
