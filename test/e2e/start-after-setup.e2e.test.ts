import { createHmac } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { appCheckouts, freePort, waitFor, waitForOutput } from "../helpers/app-checkout.ts";
import { PRIVATE_KEY } from "../helpers/test-probot.ts";

const checkoutWith = appCheckouts();

const SECRET = "setup-written-secret";

let githubServer: http.Server | undefined;
afterEach(() => {
  githubServer?.closeAllConnections();
  githubServer?.close();
});

/** GitHub's `GET /app`, answered for any credentials. */
async function fakeGitHub(): Promise<string> {
  githubServer = http.createServer((_req, res) => {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ slug: "issue-agent-test" }));
  });
  githubServer.listen(0, "127.0.0.1");
  await once(githubServer, "listening");
  return `127.0.0.1:${(githubServer.address() as AddressInfo).port}`;
}

async function deliver(port: number, secret: string): Promise<number> {
  const body = JSON.stringify({ action: "opened", zen: "Keep it logically awesome." });
  const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": `d-${Math.random()}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
    body,
  });
  return response.status;
}

describe("the first `npm start` after Probot's setup", () => {
  it(
    "reads the .env setup wrote and receives webhooks on its PORT, not the setup page",
    { timeout: 90_000 },
    async () => {
      const port = await freePort();
      const github = await fakeGitHub();
      // Exactly what the setup page leaves behind: the smee channel first, then the app's credentials.
      const checkout = checkoutWith({
        WEBHOOK_PROXY_URL: "http://127.0.0.1:9/unused-channel",
        APP_ID: "4321",
        PRIVATE_KEY,
        WEBHOOK_SECRET: SECRET,
        GITHUB_CLIENT_ID: "Iv1.0123456789abcdef",
        GITHUB_CLIENT_SECRET: "0123456789abcdef0123456789abcdef01234567",
        PORT: String(port),
      });
      // Where GitHub is (GitHub Enterprise style) comes from the environment, as in a deployment.
      const app = checkout.npm(["start"], { GHE_HOST: github, GHE_PROTOCOL: "http" });
      await waitForOutput(app, `Listening on http://localhost:${port}`);

      expect(app.output()).not.toContain("setup mode");
      expect(await deliver(port, "not-the-secret")).toBe(400);
      expect(await deliver(port, SECRET)).toBe(200);
      // The start-up probe reached GitHub with the .env's credentials and said so.
      await waitFor(
        () => app.output().includes(`GitHub at ${github} answers: this is the app \\"issue-agent-test\\"`),
        10_000,
      );
    },
  );
});

describe("`npm start` on a fresh checkout, with no credentials yet", () => {
  it("opens Probot's setup page, which no secret is needed for", { timeout: 90_000 }, async () => {
    const port = await freePort();
    const app = checkoutWith({}).npm(["start"], { PORT: String(port) });
    await waitForOutput(app, "Listening on");
    const page = await fetch(`http://127.0.0.1:${port}/probot`).then((response) => response.text());
    expect(page).toContain("<title>Setup issue-agent");
    expect(app.output()).not.toContain("cannot start");
  });
});

describe("`npm start` without a webhook secret of its own", () => {
  it("refuses to start, rather than take webhooks anyone could sign", { timeout: 90_000 }, async () => {
    for (const secret of [{}, { WEBHOOK_SECRET: "development" }] as Array<Record<string, string>>) {
      const checkout = checkoutWith({ APP_ID: "4321", PRIVATE_KEY, ...secret });
      const app = checkout.npm(["start"], {
        PORT: String(await freePort()),
        GHE_HOST: "127.0.0.1:9",
        GHE_PROTOCOL: "http",
      });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain("issue-agent cannot start: WEBHOOK_SECRET is");
      expect(app.output()).toContain("anyone could sign");
      expect(app.output()).toContain("Webhook secret");
      expect(app.output()).not.toContain("Listening on");
    }
  });
});

describe("`npm start` with a private key file that cannot be read", () => {
  it(
    "refuses to start in one message naming the file, not Probot's setup page",
    { timeout: 90_000 },
    async () => {
      const checkout = checkoutWith({
        APP_ID: "4321",
        PRIVATE_KEY_PATH: "/nonexistent/issue-agent.pem",
        WEBHOOK_SECRET: SECRET,
      });
      const app = checkout.npm(["start"], { PORT: String(await freePort()) });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(
        "issue-agent cannot start: PRIVATE_KEY_PATH is /nonexistent/issue-agent.pem, which cannot be read (ENOENT).",
      );
      expect(app.output()).toContain("General → Private keys");
      expect(app.output()).not.toContain("setup mode");
      expect(app.output()).not.toContain("Listening on");
    },
  );
});

describe("`npm run worker` with the same .env", () => {
  it("takes its settings from .env too", { timeout: 90_000 }, async () => {
    const port = await freePort();
    const checkout = checkoutWith({
      APP_ID: "4321",
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      REDIS_URL: "redis://127.0.0.1:6379",
      ISSUE_AGENT_REDIS_PREFIX: `issue-agent-dotenv-${process.pid}`,
      ISSUE_AGENT_WORKER_PORT: String(port),
    });
    const worker = checkout.npm(["run", "worker"], { GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" });
    await waitForOutput(worker, "issue-agent worker ready");
    // Its operations port (ISSUE_AGENT_WORKER_PORT from .env) opens just after that line.
    let health: unknown;
    await waitFor(async () => {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.json(),
        () => undefined,
      );
      return health !== undefined;
    }, 10_000);
    expect(health).toEqual({ status: "ok" });
  });
});
