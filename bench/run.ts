// `npm run bench`: speed targets of issue #4, each measured in this run on this machine, with
// ratios against a baseline measured in the same run. Not part of the test suite.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { runAgentLoop } from "../src/agent/agent-loop.ts";
import { conversationTokens } from "../src/agent/context-budget.ts";
import { JobClock } from "../src/agent/job-clock.ts";
import type { Model } from "../src/agent/model.ts";
import { RunLog } from "../src/jobs/run-log.ts";
import { defaultTools } from "../src/agent/tools/default-tools.ts";
import { createIssueAgent } from "../src/app.ts";
import { parseAgentConfig } from "../src/config/parse-agent-config.ts";
import type { StepDelivery } from "../src/gates/deliver-step.ts";
import { PathPolicy } from "../src/guardrails/paths/path-policy.ts";
import { ProcessSandbox } from "../src/sandbox/process-sandbox.ts";
import { loadSettings } from "../src/settings.ts";
import { issuesLabeled } from "../test/fixtures/events.ts";
import { FakeGitHubServer } from "../test/helpers/fake-github-server.ts";
import { GitHttpServer } from "../test/helpers/git-http-server.ts";
import { call, ScriptedModelServer } from "../test/helpers/scripted-model-server.ts";
import { redTeam } from "./redteam/redteam.ts";
import { LogCapture, testProbot } from "../test/helpers/test-probot.ts";

const execFileAsync = promisify(execFile);
// Not imported from the test harness: it loads nock, which patches sockets process-wide.
const INSTALLATION_TOKEN = "ghs_BENCHinstallationTOKEN0123456789abcdef";
const OWNER = "octo-org";
const REPO = "hello-world";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** GitHub over real HTTP (nock patches sockets process-wide, which stalls large git packs). */
async function fakeGitHub(cloneUrl = "") {
  const github = new FakeGitHubServer({
    token: INSTALLATION_TOKEN,
    cloneUrl: () => cloneUrl,
    baseSha: () => "0".repeat(40),
  });
  const host = await github.start();
  return { github, baseUrl: `http://${host}/api/v3` };
}

async function webhookBurst(): Promise<void> {
  const prefix = `issue-agent-bench-${randomBytes(4).toString("hex")}`;
  const redis = new Redis("redis://127.0.0.1:6379");
  const { github, baseUrl } = await fakeGitHub();
  const probot = testProbot(new LogCapture(), { secret: "bench-secret", baseUrl });
  const agent = createIssueAgent({
    settings: loadSettings({
      REDIS_URL: "redis://127.0.0.1:6379",
      ISSUE_AGENT_REDIS_PREFIX: prefix,
      OPENAI_API_KEY: "sk-bench",
    }),
    env: {},
  });
  await probot.load(agent.app, { cwd: process.cwd(), addHandler: () => undefined });
  const middleware = await probot.getNodeMiddleware();
  // Also timed inside the receiver, from the request's arrival to the last byte of the answer.
  const handling: number[] = [];
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    res.on("finish", () => handling.push(performance.now() - arrived));
    void middleware(req, res, () => res.writeHead(404).end());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  // A bare HTTP server that reads the body and answers 200: the floor this machine and this load
  // generator allow, measured in the same run.
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  bare.listen(0, "127.0.0.1");
  await once(bare, "listening");
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  // The load comes from a second process, so the client's work does not slow the receiver down.
  const load = async (target: string, first: number, warmUp: number, count: number, inFlight: number) => {
    const script = path.join(import.meta.dirname, "webhook-load.ts");
    const args = [
      target,
      "bench-secret",
      `${first}`,
      `${warmUp}`,
      `${count}`,
      `${inFlight}`,
      `bench-${prefix}`,
    ];
    const { stdout } = await execFileAsync(process.execPath, [script, ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as number[];
  };
  const deliveries = 500;
  const inFlight = 50;
  const warmUp = 100;
  const cold = await load(url, 1, 0, 1, 1);
  const burstStarted = performance.now();
  const handledBefore = handling.length + warmUp;
  const times = await load(url, 2, warmUp, deliveries, inFlight);
  const inReceiver = handling.slice(handledBefore);
  // Config and permission are asked after the acknowledgement, in the intake stage.
  await agent.webhooksHandled();
  const handledAfter = performance.now() - burstStarted;
  const floor = await load(bareUrl, 1, warmUp, deliveries, inFlight);
  bare.close();
  const queued = (await redis.keys(`${prefix}:job:*`)).length;
  const expected = 1 + warmUp + deliveries;
  console.log(
    `webhook acknowledgement, ${deliveries} signed deliveries, ${inFlight} in flight, after ${warmUp} warm-up (Redis mode, fake GitHub over local HTTP):`,
  );
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(
    `  issue-agent, seen by the client: p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(Math.max(...times))}`,
  );
  console.log(
    `  issue-agent, arrival to answer inside the receiver: p50 ${ms(percentile(inReceiver, 50))}  p99 ${ms(percentile(inReceiver, 99))}  (target p99 < 50 ms)`,
  );
  console.log(
    `  bare HTTP server, same load: p50 ${ms(percentile(floor, 50))}  p99 ${ms(percentile(floor, 99))}`,
  );
  console.log(
    `  added by issue-agent over the bare server: p50 ${ms(p50 - percentile(floor, 50))}  p99 ${ms(p99 - percentile(floor, 99))}`,
  );
  console.log(
    `  jobs queued: ${queued} of ${expected}${queued === expected ? " — none lost" : " — LOST SOME"}; all handled (config, permission, job recorded) ${ms(handledAfter)} after the burst began`,
  );
  console.log(`  cold first delivery: ${ms(cold[0]!)}`);
  server.close();
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
  await github.stop();
}

/** A bare repository of `files` small files served over authenticated smart-HTTP. */
async function largeRepository(files: number) {
  const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-repo-"));
  const seed = path.join(root, "seed");
  const bare = path.join(root, "remote.git");
  mkdirSync(seed);
  for (let i = 0; i < files; i += 1) {
    const dir = path.join(seed, `pkg${i % 50}`, `mod${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${i}.ts`), `export const value${i} = ${i};\n// ${"x".repeat(200)}\n`);
  }
  const run = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, stdio: "ignore" });
  run(seed, "init", "--quiet", "--initial-branch=main");
  run(seed, "add", "--all");
  run(seed, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "--quiet", "-m", "initial");
  run(root, "clone", "--quiet", "--bare", seed, bare);
  const server = new GitHttpServer({ projectRoot: root, token: INSTALLATION_TOKEN });
  const base = await server.start();
  return { root, bare, server, cloneUrl: GitHttpServer.cloneUrl(base, root, bare) };
}

async function jobStart(): Promise<void> {
  const repo = await largeRepository(5_000);
  const auth = `Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
  const cloneTimes: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const target = path.join(repo.root, `plain-${i}`);
    const started = performance.now();
    // Async: the git server answering this clone runs in this very process.
    await execFileAsync("git", [
      "-c",
      `http.extraHeader=${auth}`,
      "clone",
      "--quiet",
      "--branch",
      "main",
      "--single-branch",
      repo.cloneUrl,
      target,
    ]);
    cloneTimes.push(performance.now() - started);
    rmSync(target, { recursive: true, force: true });
  }
  const plainClone = percentile(cloneTimes, 50);

  let firstRequestAt = 0;
  const model = new ScriptedModelServer(() => {
    firstRequestAt = performance.now();
    return call("give_up", { reason: "benchmark" });
  });
  const modelUrl = await model.start();
  const workdir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-work-"));
  const { github, baseUrl } = await fakeGitHub(repo.cloneUrl);
  const probot = testProbot(new LogCapture(), { baseUrl });
  const agent = createIssueAgent({
    settings: loadSettings({
      OPENAI_BASE_URL: modelUrl,
      ISSUE_AGENT_WORKDIR: workdir,
      ISSUE_AGENT_DB: path.join(workdir, "state.db"),
    }),
    env: {},
  });
  await probot.load(agent.app, { cwd: process.cwd(), addHandler: () => undefined });
  const starts: number[] = [];
  for (const issue of [1, 2]) {
    const started = performance.now();
    await probot.receive({
      id: `bench-start-${issue}`,
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: issue }),
    });
    await agent.idle();
    starts.push(firstRequestAt - started);
  }
  console.log(
    `job start (trigger to first model request), repository of 5,000 files over smart-HTTP, fake GitHub:`,
  );
  console.log(`  plain git clone (median of 3): ${ms(plainClone)}`);
  console.log(`  first job:  ${ms(starts[0]!)}  = ${(starts[0]! / plainClone).toFixed(2)}× the clone`);
  console.log(
    `  second job: ${ms(starts[1]!)}  = ${(starts[1]! / plainClone).toFixed(2)}× the clone  (target ≤ 0.2×)`,
  );
  await model.stop();
  await repo.server.stop();
  rmSync(repo.root, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
  await github.stop();
}

async function stepOverhead(): Promise<void> {
  const steps = 200;
  const workspace = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-steps-"));
  let modelMs = 0;
  let turn = 0;
  const model: Model = {
    name: "bench",
    async complete() {
      const started = performance.now();
      turn += 1;
      const message =
        turn >= steps
          ? { name: "give_up", arguments: JSON.stringify({ reason: "done" }) }
          : {
              name: "update_plan",
              arguments: JSON.stringify({ steps: [{ title: `step ${turn}`, status: "in_progress" }] }),
            };
      const result = {
        message: {
          role: "assistant" as const,
          content: null,
          refusal: null,
          tool_calls: [{ id: `c${turn}`, type: "function" as const, function: message }],
        },
        usage: { promptTokens: 1, cachedPromptTokens: 0, completionTokens: 1 },
      };
      modelMs += performance.now() - started;
      return result;
    },
  };
  const config = parseAgentConfig(undefined);
  const started = performance.now();
  await runAgentLoop({
    model,
    tools: defaultTools,
    messages: [{ role: "user", content: "go" }],
    limits: { maxSteps: steps + 1, maxMs: 60_000, maxTokens: 1e9, maxConsecutiveFormatErrors: 3 },
    context: {
      workspace,
      sandbox: new ProcessSandbox(path.join(workspace, "..", "bench-scratch")),
      config,
      paths: new PathPolicy(config.paths),
      log: new RunLog(),
      clock: new JobClock(),
      redact: (text) => text,
      publishable: (text) => text,
      remainingMs: () => 60_000,
      approvalFor: async () => ({ decision: "denied", by: "bench" }),
      delivery: {} as StepDelivery,
      signal: undefined,
    },
  });
  const total = performance.now() - started;
  console.log(`harness overhead per agent step (scripted in-process model, no commands), ${steps} steps:`);
  console.log(
    `  ${ms((total - modelMs) / steps)} per step (total ${ms(total)}, of which model ${ms(modelMs)})`,
  );
  rmSync(workspace, { recursive: true, force: true });
}

/**
 * Prompt tokens sent over one fixed 30-step trajectory whose tool results are large (each step
 * reads a different 300-line file), with the context budget against the same run without it.
 */
async function tokenEfficiency(): Promise<void> {
  const steps = 30;
  const workspace = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-tokens-"));
  for (let i = 0; i < steps; i += 1) {
    const lines = Array.from(
      { length: 300 },
      (_, n) => `export const value${i}_${n} = compute(${n}, "${"x".repeat(20)}");`,
    );
    writeFileSync(path.join(workspace, `module${i}.ts`), `${lines.join("\n")}\n`);
  }
  const run = async (maxContextTokens: number | undefined) => {
    let sent = 0;
    let turn = 0;
    const model: Model = {
      name: "bench",
      async complete(request) {
        sent += conversationTokens(request.messages);
        turn += 1;
        const call =
          turn > steps
            ? { name: "give_up", arguments: JSON.stringify({ reason: "done" }) }
            : { name: "read_file", arguments: JSON.stringify({ path: `module${turn - 1}.ts` }) };
        return {
          message: {
            role: "assistant" as const,
            content: null,
            refusal: null,
            tool_calls: [{ id: `c${turn}`, type: "function" as const, function: call }],
          },
          usage: { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0 },
        };
      },
    };
    const config = parseAgentConfig(undefined);
    const log = new RunLog();
    await runAgentLoop({
      model,
      tools: defaultTools,
      messages: [{ role: "user", content: "Read every module, then stop." }],
      limits: {
        maxSteps: steps + 2,
        maxMs: 600_000,
        maxTokens: 1e12,
        maxContextTokens,
        maxConsecutiveFormatErrors: 3,
      },
      context: {
        workspace,
        sandbox: new ProcessSandbox(path.join(workspace, "..", "bench-token-scratch")),
        config,
        paths: new PathPolicy(config.paths),
        log,
        clock: new JobClock(),
        redact: (text) => text,
        publishable: (text) => text,
        remainingMs: () => 600_000,
        approvalFor: async () => ({ decision: "denied", by: "bench" }),
        delivery: {} as StepDelivery,
        signal: undefined,
      },
    });
    return { sent, elided: log.elidedToolOutputs };
  };
  const budget = 20_000;
  const plain = await run(undefined);
  const fitted = await run(budget);
  console.log(
    `token efficiency, ${steps}-step trajectory reading a 300-line file per step (tokens counted with o200k_base):`,
  );
  console.log(`  prompt tokens sent without a context budget: ${plain.sent.toLocaleString("en-US")}`);
  console.log(
    `  with agent.context_tokens = ${budget.toLocaleString("en-US")}: ${fitted.sent.toLocaleString("en-US")} (${fitted.elided} older outputs left out) = ${(fitted.sent / plain.sent).toFixed(2)}× (target ≤ 0.6×)`,
  );
  rmSync(workspace, { recursive: true, force: true });
}

// `npm run bench -- webhook` (or `start`, `step`, `tokens`, `redteam`) runs only the named measurements.
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
if (wanted("webhook")) await webhookBurst();
if (wanted("start")) await jobStart();
if (wanted("step")) await stepOverhead();
if (wanted("tokens")) await tokenEfficiency();
// The red team fails the run when anything escaped or an ordinary command was refused.
const failures = wanted("redteam") ? await redTeam() : 0;
process.exit(failures > 0 ? 1 : 0);
