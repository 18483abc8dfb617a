import { mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/e2e-harness.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call, type ScriptedTurn } from "../helpers/scripted-model-server.ts";
import type { TrajectoryStore } from "../../src/trajectory/trajectory-store.ts";

const READER = "ghu_BROWSERreader0123456789abcdefghijk";
const OUTSIDER = "ghu_BROWSERoutsider0123456789abcdefgh";
const HOSTILE = "<script>document.title='pwned'</script>";
const SHOTS = process.env.JOB_PAGE_SCREENSHOTS ?? path.join(os.tmpdir(), "issue-agent-job-page");

const servers: http.Server[] = [];
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  for (const server of servers.splice(0)) server.close();
});

async function listen(handle: http.RequestListener): Promise<string> {
  const server = http.createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * GitHub's sign-in as a browser meets it: authorize redirects back at once and signs in
 * `viewer.token`'s account; the reader may read the repository, the outsider may not.
 */
function fakeGitHub(viewer: { token: string }): http.RequestListener {
  const logins: Record<string, string> = { [READER]: "reader", [OUTSIDER]: "outsider" };
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (url.pathname === "/login/oauth/authorize") {
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", "browser-code");
      back.searchParams.set("state", url.searchParams.get("state")!);
      res.writeHead(302, { location: back.toString() }).end();
    } else if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ access_token: viewer.token }));
    } else if (!logins[token]) {
      res.writeHead(401).end();
    } else if (url.pathname === "/api/v3/user") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ login: logins[token] }));
    } else if (url.pathname === "/api/v3/repos/octo-org/hello-world" && token === READER) {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    } else {
      res.writeHead(404).end();
    }
  };
}

describe("the job's page in a real browser (headless Chromium)", () => {
  it("signs in through GitHub's OAuth flow, watches a running job update live, and keeps hostile text inert", async () => {
    let h: Harness | undefined;
    const app = await listen((req, res) => {
      void (async () => {
        for (const handler of h?.handlers ?? []) if (await handler(req, res)) return;
        res.writeHead(404).end();
      })();
    });
    const viewer = { token: READER };
    const github = await listen(fakeGitHub(viewer));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    mkdirSync(SHOTS, { recursive: true });

    await runLabeledJob(
      [
        {
          content: `Looking at it. ${HOSTILE}`,
          toolCalls: [{ name: "run_command", arguments: { command: "node --test" } }],
        },
        (async () => {
          await held; // the job stays running while the browser looks at it
          return testGreeting;
        }) as unknown as ScriptedTurn,
        fixGreeting,
        // Hostile text in the delivered step's diff, too.
        call("write_file", { path: "docs/greeting.md", content: `The greeting. ${HOSTILE}\n` }),
        call("finish", { title: "Punctuate the greeting", summary: "Done.", rationale: "As asked." }),
      ],
      {
        issueTitle: `Greeting ${HOSTILE}`,
        pullRequests: 1,
        config: "gates:\n  tests:\n    command: node --test\n",
        app: {
          settings: { ISSUE_AGENT_PUBLIC_URL: `http://${app}` },
          env: {
            GITHUB_CLIENT_ID: "Iv1.browser",
            GITHUB_CLIENT_SECRET: "browser-client-secret-0123456789",
            WEBHOOK_SECRET: "browser-webhook-secret",
            GHE_HOST: github,
            GHE_PROTOCOL: "http",
          },
        },
        during: async (harness) => {
          h = harness;
          const store = harness.agent.store as unknown as TrajectoryStore;
          let jobId: string | undefined;
          await expect
            .poll(
              async () => {
                const [latest] = await store.recentTrajectories("octo-org/hello-world", 1);
                jobId = latest?.jobId;
                const trajectory = jobId ? await store.getTrajectory(jobId) : undefined;
                return trajectory?.events.some((e) => e.kind === "tool");
              },
              { timeout: 60_000 },
            )
            .toBe(true);

          browser = await chromium.launch({
            executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          });
          const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
          const dialogs: string[] = [];
          page.on("dialog", (dialog) => void dialogs.push(dialog.message()));
          await page.goto(`http://${app}/jobs/${jobId}`);
          // Signed in through the fake GitHub and back on the job's page.
          expect(new URL(page.url()).pathname).toBe(`/jobs/${jobId}`);
          await expect
            .poll(() => page.locator("h1").textContent(), { timeout: 10_000 })
            .toContain(`Greeting ${HOSTILE}`);
          expect(await page.title()).not.toBe("pwned");
          expect(await page.locator("strong.running").textContent()).toBe("running");
          await page.screenshot({ path: path.join(SHOTS, "job-page-running.png"), fullPage: true });

          // The reader opens a command's result and scrolls down to it, then the job goes on.
          const result = page
            .locator(".timeline details")
            .filter({ has: page.locator("summary", { hasText: /^result$/ }) })
            .first();
          const resultId = await result.getAttribute("id");
          await page.setViewportSize({ width: 1100, height: 300 });
          await result.locator("summary").click();
          await page.evaluate(`document.getElementById(${JSON.stringify(resultId)}).scrollIntoView()`);
          const scrolled = (await page.evaluate("window.scrollY")) as number;
          expect(scrolled).toBeGreaterThan(0);
          await page.evaluate("window.notReloaded = true");
          const eventsBefore = await page.locator(".timeline > li").count();

          release();
          // The page updates itself while the job runs and shows the end, without a reload: what
          // the reader opened stays open and the page stays where they scrolled.
          await expect
            .poll(() => page.locator("p strong").first().textContent(), { timeout: 60_000, interval: 1_000 })
            .toBe("succeeded");
          expect(await page.evaluate("window.notReloaded")).toBe(true);
          expect(await page.locator(".timeline > li").count()).toBeGreaterThan(eventsBefore);
          expect(await page.locator(`#${resultId}`).getAttribute("open")).toBe("");
          expect(Math.abs(((await page.evaluate("window.scrollY")) as number) - scrolled)).toBeLessThan(5);
          // The delivered step's diff, collapsed until opened.
          const diff = page.locator("#step-0-diff");
          expect(await diff.getAttribute("open")).toBeNull();
          await diff.locator("summary").click();
          expect(await diff.locator("pre").innerText()).toContain(
            `@@ -0,0 +1 @@\n+The greeting. ${HOSTILE}\n`,
          );
          await page.setViewportSize({ width: 1100, height: 900 });
          await page.screenshot({ path: path.join(SHOTS, "job-page-finished.png"), fullPage: true });
          await page.evaluate(
            `document.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""))`,
          );
          const text = await page.locator("body").innerText();
          expect(text).toContain(`Looking at it. ${HOSTILE}`);
          expect(text).toContain("test-first");
          expect(text).not.toContain(READER);
          expect(await page.title()).not.toBe("pwned");
          expect(dialogs).toEqual([]);

          // A fresh browser without a session is sent to sign in, never shown the page.
          const anonymous = await browser.newContext();
          const response = await anonymous.request.get(`http://${app}/jobs/${jobId}`, { maxRedirects: 0 });
          expect(response.status()).toBe(302);
          expect(await response.text()).not.toContain("Greeting");

          // Someone signed in with GitHub who may not read the repository sees only "Not found".
          viewer.token = OUTSIDER;
          const outsider = await (await browser.newContext()).newPage();
          const denied = await outsider.goto(`http://${app}/jobs/${jobId}`);
          expect(denied!.status()).toBe(404);
          expect(await outsider.locator("h1").textContent()).toBe("Not found");
          expect(await outsider.locator("body").innerText()).not.toContain("Greeting");
        },
      },
    );
  }, 240_000);
});
