import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssueAgent } from "../../src/app.ts";
import { RedisState } from "../../src/jobs/stores/redis-state.ts";
import { loadSettings } from "../../src/settings.ts";
import { issueCommentCreated, issuesLabeled } from "../fixtures/events.ts";
import { GREETING_REPO, INSTALLATION_TOKEN, OPENAI_KEY, OWNER, REPO } from "../helpers/e2e-harness.ts";
import { FakeGitHubServer } from "../helpers/fake-github-server.ts";
import { createRemoteRepository, headOf } from "../helpers/git-fixtures.ts";
import { GitHttpServer } from "../helpers/git-http-server.ts";
import { waitFor } from "../helpers/run-labeled-job.ts";
import { call, ScriptedModelServer, type ScriptedTurn } from "../helpers/scripted-model-server.ts";
import { LogCapture, PRIVATE_KEY, TEST_APP_ID, testProbot } from "../helpers/test-probot.ts";

const REDIS_URL = "redis://127.0.0.1:6379";
const prefix = `issue-agent-test-${randomBytes(4).toString("hex")}`;
const ISSUES = [41, 42, 43];
const KILLED_ISSUE = 41;
/** An issue whose job runs a long command, then is steered and stopped through the receiver. */
const STOPPED_ISSUE = 44;

const remote = createRemoteRepository(GREETING_REPO);
const workdir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-scale-"));
const gitServer = new GitHttpServer({ projectRoot: remote.root, token: INSTALLATION_TOKEN });
let gitBase = "";
const github = new FakeGitHubServer({
  token: INSTALLATION_TOKEN,
  cloneUrl: () => GitHttpServer.cloneUrl(gitBase, remote.root, remote.bare),
  baseSha: () => headOf(remote.bare, "main"),
});
let heldFirstAttempt = false;
/** Each issue's conversation: add a note, then finish. The killed issue's first attempt hangs. */
const model = new ScriptedModelServer(async (request): Promise<ScriptedTurn> => {
  const issue = Number(/Resolve issue #(\d+)/.exec(String(request.body.messages[1]?.content))?.[1]);
  const turn = request.body.messages.filter((m) => m.role === "assistant").length;
  if (issue === STOPPED_ISSUE) return call("run_command", { command: "sleep 60" });
  if (issue === KILLED_ISSUE && turn === 0 && !heldFirstAttempt) {
    heldFirstAttempt = true;
    return new Promise<ScriptedTurn>(() => undefined);
  }
  return turn === 0
    ? call("write_file", { path: `notes/${issue}.md`, content: `Notes for #${issue}.\n` })
    : call("finish", { title: `Notes for #${issue}`, summary: "Adds notes.", rationale: "Asked for." });
});
const workers: Array<{ child: ChildProcess; output: string[] }> = [];
const redis = new Redis(REDIS_URL);

function startWorker(githubHost: string, modelUrl: string) {
  const child = spawn(process.execPath, ["src/worker.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: workdir,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY,
      GHE_HOST: githubHost,
      GHE_PROTOCOL: "http",
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: modelUrl,
      ISSUE_AGENT_MODEL: "test-model",
      REDIS_URL,
      ISSUE_AGENT_REDIS_PREFIX: prefix,
      ISSUE_AGENT_CONCURRENCY: "1",
      ISSUE_AGENT_REPO_CONCURRENCY: "4",
      ISSUE_AGENT_LOCK_SECONDS: "2",
      ISSUE_AGENT_WORKER_PORT: "0",
      ISSUE_AGENT_WORKDIR: path.join(workdir, `worker-${workers.length}`),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const entry = { child, output: [] as string[] };
  child.stdout?.on("data", (chunk: Buffer) => entry.output.push(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => entry.output.push(chunk.toString("utf8")));
  workers.push(entry);
  return entry;
}

beforeAll(async () => {
  gitBase = await gitServer.start();
});

afterAll(async () => {
  for (const { child } of workers) child.kill("SIGKILL");
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await model.stop();
  await github.stop();
  await gitServer.stop();
  remote.cleanup();
  rmSync(workdir, { recursive: true, force: true });
});

describe("scale-out on Redis", () => {
  it(
    "spreads jobs over two workers, and a job whose worker is killed is resumed by the other",
    { timeout: 150_000 },
    async () => {
      const githubHost = await github.start();
      const modelUrl = await model.start();
      const started = (entry: { output: string[] }) =>
        entry.output
          .join("")
          .split("\n")
          .filter((line) => line.includes('"msg":"job started"'));
      const a = startWorker(githubHost, modelUrl);
      const b = startWorker(githubHost, modelUrl);
      await waitFor(
        () => [a, b].every((w) => w.output.join("").includes("issue-agent worker ready")),
        30_000,
      ).catch((e) => {
        console.log(a.output.join("").slice(0, 3000));
        throw e;
      });

      // The receiver: Probot with this process's own webhook handling, enqueuing to Redis.
      const probot = testProbot(new LogCapture(), { baseUrl: `http://${githubHost}/api/v3` });
      const receiver = createIssueAgent({
        settings: loadSettings({ REDIS_URL, ISSUE_AGENT_REDIS_PREFIX: prefix, OPENAI_API_KEY: OPENAI_KEY }),
        env: {},
      });
      await probot.load(receiver.app, { cwd: process.cwd(), addHandler: () => undefined });
      for (const issue of ISSUES) {
        await probot.receive({
          id: `d-scale-${issue}`,
          ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: issue }),
        });
      }

      // Kill whichever worker holds the issue whose model call hangs.
      await waitFor(() => heldFirstAttempt, 30_000).catch((e) => {
        console.log("A", a.output.join("").slice(-3000));
        console.log("B", b.output.join("").slice(-3000));
        console.log(github.calls.map((c) => `${c.method} ${c.path}`).join("\n"));
        console.log("model requests", model.requests.length);
        throw e;
      });
      const holder = [a, b].find((w) => started(w).some((line) => line.includes(`#${KILLED_ISSUE}`)));
      expect(holder).toBeDefined();
      holder!.child.kill("SIGKILL");
      const survivor = holder === a ? b : a;

      // Jobs are slow here: Probot spaces GitHub writes about a second apart, as GitHub asks.
      await waitFor(() => github.callsTo("POST", /\/pulls$/).length === ISSUES.length, 100_000).catch((e) => {
        console.log("A", a.output.join("").slice(-4000));
        console.log("B", b.output.join("").slice(-4000));
        console.log(github.calls.map((c) => `${c.method} ${c.path}`).join("\n"));
        throw e;
      });
      const heads = github
        .callsTo("POST", /\/pulls$/)
        .map((c) => c.body.head)
        .sort();
      expect(heads).toEqual(ISSUES.map((issue) => `agent/${issue}-issue-${issue}`));
      // Both workers took jobs; the survivor finished the killed one.
      expect(started(a).length).toBeGreaterThan(0);
      expect(started(b).length).toBeGreaterThan(0);
      expect(started(survivor).some((line) => line.includes(`#${KILLED_ISSUE}`))).toBe(true);

      const state = new RedisState(redis, prefix);
      const jobs = await Promise.all(
        (await redis.keys(`${prefix}:job:*`)).map(async (key) =>
          state.get(key.slice(`${prefix}:job:`.length)),
        ),
      );
      const killed = jobs.find((job) => job?.trigger.issueNumber === KILLED_ISSUE);
      expect(killed).toMatchObject({ attempts: 2 });
      expect(killed!.events.map((e) => e.message)).toContain("resuming after an interruption (attempt 2)");
      // One status comment per issue, even for the job that ran twice.
      const statusComments = github.callsTo("POST", new RegExp(`/issues/${KILLED_ISSUE}/comments$`));
      expect(statusComments).toHaveLength(1);

      // A message and a stop sent to the receiver reach the job on the worker that runs it.
      await probot.receive({
        id: "d-scale-stop-label",
        ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: STOPPED_ISSUE }),
      });
      await waitFor(
        () => github.callsTo("POST", new RegExp(`/issues/${STOPPED_ISSUE}/comments$`)).length === 1,
        30_000,
      );
      const stoppedJob = async () =>
        (await state.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: STOPPED_ISSUE }))!;
      await waitFor(
        () => model.requests.some((r) => String(r.body.messages[1]?.content).includes(`#${STOPPED_ISSUE}`)),
        30_000,
      );
      const comment = async (id: number, body: string) => {
        await probot.receive({
          id: `d-scale-comment-${id}`,
          ...issueCommentCreated({
            owner: OWNER,
            repo: REPO,
            issueNumber: STOPPED_ISSUE,
            commentId: id,
            body,
          }),
        });
        await receiver.webhooksHandled();
      };
      await comment(901, "/agent keep the notes short");
      let messages: unknown[] = [];
      await waitFor(() => {
        void stoppedJob().then((job) => (messages = job.messages ?? []));
        return messages.length === 1;
      }, 20_000);
      const stopSent = Date.now();
      await comment(902, "/agent stop");
      let stoppedState = "";
      await waitFor(() => {
        void stoppedJob().then((job) => (stoppedState = job.state));
        return stoppedState === "cancelled";
      }, 20_000);
      expect(Date.now() - stopSent).toBeLessThan(15_000);
      expect((await stoppedJob()).messages).toMatchObject([
        { kind: "message", by: "maintainer", text: "keep the notes short" },
      ]);
      await waitFor(
        () => github.callsTo("PATCH", /\/check-runs\/\d+$/).some((c) => c.body?.conclusion === "cancelled"),
        20_000,
      );
      await receiver.idle();
    },
  );
});
