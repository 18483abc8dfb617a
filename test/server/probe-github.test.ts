import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createProbot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { probeGitHub } from "../../src/server/probe-github.ts";
import { PRIVATE_KEY, TEST_APP_ID } from "../helpers/test-probot.ts";

let server: http.Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A GitHub Enterprise stand-in: answers GET /api/v3/app with `status` and `body`, or never. */
async function fakeGitHub(status: number | "hang", body: object = {}): Promise<string> {
  server = http.createServer((req, res) => {
    if (status === "hang") return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appFor(host: string) {
  return createProbot({
    env: {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY,
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "silent",
    },
  });
}

describe("the start-up probe of GitHub", () => {
  it("says who the app is when GitHub answers", async () => {
    const host = await fakeGitHub(200, { slug: "issue-agent-acme" });
    expect(await probeGitHub(appFor(host), host)).toEqual({
      level: "info",
      message: `GitHub at ${host} answers: this is the app "issue-agent-acme".`,
    });
  });

  it("names the credential GitHub refused", async () => {
    const host = await fakeGitHub(401, { message: "A JSON web token could not be decoded" });
    const outcome = await probeGitHub(appFor(host), host);
    expect(outcome.level).toBe("warn");
    expect(outcome.message).toContain(
      `GitHub at ${host} cannot be used: it refused the app's credentials (401: A JSON web token could not be decoded): the PRIVATE_KEY does not belong to this APP_ID`,
    );
    server?.close();
    const other = await fakeGitHub(401, { message: "Integration not found" });
    expect((await probeGitHub(appFor(other), other)).message).toContain("there is no app with this APP_ID");
  });

  it("names a host that does not resolve, within seconds", async () => {
    const started = Date.now();
    const outcome = await probeGitHub(appFor("github.invalid"), "github.invalid");
    expect(outcome.message).toMatch(
      /^GitHub at github\.invalid cannot be used: the host name does not resolve \(DNS: (ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("speaks of GHE_HOST only when it is set", async () => {
    // Without GHE_HOST the app talks to api.github.com: its DNS failing is the machine's problem.
    const outcome = await probeGitHub(appFor("github.invalid"), "api.github.com");
    expect(outcome.message).toMatch(/the host name does not resolve .*; check the machine's DNS\.$/);
    expect(outcome.message).not.toContain("GHE_HOST");
  });

  it("gives up on a host that does not answer after the timeout, saying so", async () => {
    const host = await fakeGitHub("hang");
    const started = Date.now();
    const outcome = await probeGitHub(appFor(host), host, 1_000);
    expect(outcome.message).toBe(
      `GitHub at ${host} cannot be used: no answer within 1 s (a firewall, a proxy that is not set, or the wrong GHE_HOST).`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("names a refused connection", async () => {
    const host = await fakeGitHub(200);
    server!.close();
    server = undefined;
    expect((await probeGitHub(appFor(host), host)).message).toContain(
      "the connection was refused (ECONNREFUSED)",
    );
  });
});
