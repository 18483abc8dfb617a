import http from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { INSTALLATION_TOKEN, OPENAI_KEY, type Harness } from "../helpers/e2e-harness.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

const CLIENT_SECRET = "oauth-client-secret-0123456789abcdef";
const READER_TOKEN = "ghu_READERtoken0123456789abcdefghijklmn";
const OUTSIDER_TOKEN = "ghu_OUTSIDERtoken0123456789abcdefghijkl";
const HOSTILE = "<script>alert('pwned')</script>";

let server: http.Server | undefined;
afterEach(() => server?.close());

/** The app's HTTP handlers behind a real server, as Probot serves them. */
async function serve(h: Harness): Promise<string> {
  server = http.createServer((req, res) => {
    void (async () => {
      for (const handler of h.handlers) if (await handler(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const finishedJob = () =>
  jobWithPage(
    [
      {
        content: `Plan: fix it. ${HOSTILE}`,
        toolCalls: [{ name: "run_command", arguments: { command: "node --test" } }],
      },
      testGreeting,
      fixGreeting,
      call("finish", { title: "Punctuate the greeting", summary: "Done.", rationale: "As asked." }),
    ],
    { pullRequests: 1 },
  );

/** Runs a job on issue #21 (titled with hostile text) with the page on, and serves the page. */
async function jobWithPage(
  script: Parameters<typeof runLabeledJob>[0],
  options: Omit<NonNullable<Parameters<typeof runLabeledJob>[1]>, "app" | "issueTitle">,
) {
  const { h, record } = await runLabeledJob(script, {
    ...options,
    issueTitle: `Greeting ${HOSTILE}`,
    app: {
      settings: { ISSUE_AGENT_PUBLIC_URL: "https://agent.example.com" },
      env: {
        GITHUB_CLIENT_ID: "Iv1.client",
        GITHUB_CLIENT_SECRET: CLIENT_SECRET,
        WEBHOOK_SECRET: "webhook-secret-xyz",
      },
    },
  });
  const job = (await h.agent.store.latestForIssue({
    owner: "octo-org",
    repo: "hello-world",
    issueNumber: 21,
  }))!;
  return { h, job, record, base: await serve(h) };
}

/** Signs in through the (faked) GitHub OAuth flow; returns the session cookie. */
async function signIn(base: string, path: string, token: string, login: string): Promise<string> {
  const start = await fetch(`${base}${path}`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin + authorize.pathname).toBe("https://github.com/login/oauth/authorize");
  expect(authorize.searchParams.get("client_id")).toBe("Iv1.client");
  expect(authorize.searchParams.get("redirect_uri")).toBe("https://agent.example.com/auth/callback");
  const state = authorize.searchParams.get("state")!;
  const pending = start.headers.get("set-cookie")!.split(";")[0]!;
  nock("https://github.com")
    .post(
      "/login/oauth/access_token",
      (body) => body.code === "the-code" && body.client_secret === CLIENT_SECRET,
    )
    .reply(200, { access_token: token, token_type: "bearer" });
  nock("https://api.github.com", { reqheaders: { authorization: `Bearer ${token}` } })
    .get("/user")
    .reply(200, { login });
  const back = await fetch(`${base}/auth/callback?code=the-code&state=${state}`, {
    redirect: "manual",
    headers: { cookie: pending },
  });
  expect(back.status).toBe(302);
  expect(back.headers.get("location")).toBe(path);
  const session = back.headers.getSetCookie().find((c) => c.startsWith("issue_agent_session="))!;
  expect(session).toContain("HttpOnly");
  expect(session).toContain("Secure");
  return session.split(";")[0]!;
}

const repoAccess = (token: string, status: number) =>
  nock("https://api.github.com", { reqheaders: { authorization: `Bearer ${token}` } })
    .get("/repos/octo-org/hello-world")
    .reply(status, status === 200 ? { full_name: "octo-org/hello-world" } : { message: "Not Found" });

describe("a job's page, for those who may read the repository", () => {
  it("sends an anonymous visitor to sign in and shows a reader the page, hostile text inert, no secret", async () => {
    const { job, base, record } = await finishedJob();
    // The check run's "Details" and the status comment lead to the page.
    const url = `https://agent.example.com/jobs/${job.id}`;
    expect(record.checkRuns[0]!.details_url).toBe(url);
    expect(record.commentEdits.at(-1)!.body).toContain(`[The job's log](${url})`);
    const anonymous = await fetch(`${base}/jobs/${job.id}`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(await anonymous.text()).not.toContain("Greeting");

    const session = await signIn(base, `/jobs/${job.id}`, READER_TOKEN, "reader");
    expect(session).not.toContain(READER_TOKEN);
    repoAccess(READER_TOKEN, 200);
    const page = await fetch(`${base}/jobs/${job.id}`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toMatch(/script-src 'nonce-[\w+/=]+'(;|$)/);
    const body = await page.text();
    expect(body).toContain("Greeting &lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;");
    expect(body).toContain("Plan: fix it. &lt;script&gt;");
    expect(body).not.toContain(HOSTILE);
    expect(body).not.toMatch(/<script/i);
    expect(body).toContain("test-first");
    expect(body).toContain("Cost ledger");
    expect(body).toContain("node --test");
    // The delivered step's diff, collapsed and escaped. A finished job's page has no script at all.
    expect(body).toMatch(/<details id="step-0-diff"\s*>/);
    expect(body).toContain('<span class="del">-  return &quot;Hello &quot; + name;</span>');
    for (const secret of [READER_TOKEN, INSTALLATION_TOKEN, OPENAI_KEY, CLIENT_SECRET])
      expect(body).not.toContain(secret);

    repoAccess(READER_TOKEN, 200);
    const list = await fetch(`${base}/repos/octo-org/hello-world/jobs`, { headers: { cookie: session } });
    expect(await list.text()).toContain(`/jobs/${job.id}`);
  }, 120_000);

  it("gives a viewer who may not read the repository the same 404 as a job that does not exist", async () => {
    const { job, base } = await finishedJob();
    const session = await signIn(base, `/jobs/${job.id}`, OUTSIDER_TOKEN, "outsider");
    repoAccess(OUTSIDER_TOKEN, 404);
    const denied = await fetch(`${base}/jobs/${job.id}`, { headers: { cookie: session } });
    expect(denied.status).toBe(404);
    const text = await denied.text();
    expect(text).not.toContain("Greeting");
    expect(text).not.toContain("test-first");
    repoAccess(OUTSIDER_TOKEN, 404);
    const list = await fetch(`${base}/repos/octo-org/hello-world/jobs`, { headers: { cookie: session } });
    expect(list.status).toBe(404);
    expect(await list.text()).not.toContain(job.id);

    // A forged or altered cookie is no session; a callback without the matching state signs no one in.
    const forged = await fetch(`${base}/jobs/${job.id}`, {
      redirect: "manual",
      headers: { cookie: `${session}x` },
    });
    expect(forged.status).toBe(302);
    const wrongState = await fetch(`${base}/auth/callback?code=c&state=guess`, { redirect: "manual" });
    expect(wrongState.status).toBe(400);
    expect(wrongState.headers.get("set-cookie") ?? "").not.toContain("issue_agent_session");
  }, 120_000);
});

describe("a paused job's page", () => {
  it("keeps the issue's title and says which command waits for approval", async () => {
    const { job, base } = await jobWithPage([call("run_command", { command: "touch approved.txt" })], {
      extraComments: 1,
      config: 'commands:\n  require_approval: ["touch"]\n',
    });
    expect(job.state).toBe("waiting_for_human");
    const session = await signIn(base, `/jobs/${job.id}`, READER_TOKEN, "reader");
    repoAccess(READER_TOKEN, 200);
    const body = await (await fetch(`${base}/jobs/${job.id}`, { headers: { cookie: session } })).text();
    expect(body).toContain("<h1>#21 Greeting &lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;</h1>");
    expect(body).toContain("waiting_for_human");
    expect(body).toContain("Waiting for approval of a command: touch approved.txt");
    repoAccess(READER_TOKEN, 200);
    const list = await (
      await fetch(`${base}/repos/octo-org/hello-world/jobs`, { headers: { cookie: session } })
    ).text();
    expect(list).toContain("#21 Greeting &lt;script&gt;");
  }, 120_000);
});
