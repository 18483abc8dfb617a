// The webhook acknowledgement against a bare node HTTP server under the same bursts, in the
// embedded mode (node:sqlite, in-process queue) and the Redis mode (BullMQ). See docs/benchmarks.md.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { Probot, Server } from "probot";
import { createIssueAgent } from "../src/app.ts";
import { loadSettings } from "../src/settings.ts";
import { PROBOT_WEBHOOK_PATH } from "../src/server/webhook-endpoint.ts";
import { freePort } from "../test/helpers/free-port.ts";
import { productionProbotOptions } from "./production-probot.ts";
import { median, ms, percentile, remoteGitHub, reportRatio, type RatioResult } from "./measure.ts";

const execFileAsync = promisify(execFile);
const SECRET = "bench-secret";
const DELIVERIES = 500;
const IN_FLIGHT = 50;
const WARM_UP = 100;
/**
 * Embedded mode runs the jobs in the receiving process: its deliveries label 50 issues over and
 * over, so each issue holds one job at a time (a redelivery on a busy issue gets a reply) and the
 * bench does not wait for 1,800 jobs. The acknowledgement path is the same for every delivery.
 */
const EMBEDDED_ISSUES = 50;

async function listen(server: http.Server): Promise<string> {
  // The load generator keeps its connections across the pause after the warm-up, as a proxy in
  // front of a receiver would; node's default of 5 s would close some of them under it.
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One burst from a second process (webhook-load.ts), so the client's work is not the receiver's. */
async function burst(
  url: string,
  first: number,
  count: number,
  warmUp: number,
  inFlight: number,
  cycle: number,
  prefix: string,
) {
  const script = path.join(import.meta.dirname, "webhook-load.ts");
  const args = [url, SECRET, `${first}`, `${warmUp}`, `${count}`, `${inFlight}`, prefix, `${cycle}`];
  const { stdout } = await execFileAsync(process.execPath, [script, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as number[];
}

export async function webhookAcknowledgement(
  mode: "embedded" | "redis",
  rounds: number,
): Promise<RatioResult> {
  const prefix = `issue-agent-bench-${randomBytes(4).toString("hex")}`;
  const workdir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-webhook-"));
  const remote = await remoteGitHub(0);
  const agent = createIssueAgent({
    settings: loadSettings({
      OPENAI_API_KEY: "sk-bench",
      ISSUE_AGENT_WORKDIR: workdir,
      ...(mode === "redis"
        ? { REDIS_URL: "redis://127.0.0.1:6379", ISSUE_AGENT_REDIS_PREFIX: prefix }
        : { ISSUE_AGENT_DB: path.join(workdir, "state.db") }),
    }),
    env: { WEBHOOK_SECRET: SECRET },
  });
  // Probot's server as `npm start` runs it: its request log, its handlers, the app's webhook route.
  const options = productionProbotOptions(remote.baseUrl, SECRET);
  const server = new Server({
    Probot: Probot.defaults(options),
    log: options.log,
    host: "127.0.0.1",
    port: await freePort(),
    webhookPath: PROBOT_WEBHOOK_PATH,
  });
  await server.load(agent.app);
  const appServer = await server.start();
  // See listen(): the connections stay open across the pause after the warm-up.
  appServer.keepAliveTimeout = 120_000;
  const appUrl = `http://127.0.0.1:${server.port}/api/github/webhooks`;
  // The floor: a server that reads the body and answers 200, in this same process.
  const bare = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  const bareUrl = `${await listen(bare)}/`;
  const cycle = mode === "embedded" ? EMBEDDED_ISSUES : 0;
  const cold = await burst(appUrl, 1, 1, 0, 1, cycle, prefix);
  const app: number[] = [];
  const floor: number[] = [];
  let next = 2;
  let handledMs = 0;
  // CPU time of this process during the bursts: per delivery, it does not depend on the load.
  let appCpu = 0;
  let bareCpu = 0;
  // Each round's p99s compared: a hiccup of the shared machine during one burst stalls all the
  // requests in flight and would set the p99 of all rounds pooled, on whichever side it fell.
  const roundRatios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Each pair under the same load; the app's work after the burst is done before the next one.
    const bareStarted = process.cpuUsage();
    const bareTimes = await burst(bareUrl, 1, DELIVERIES, WARM_UP, IN_FLIGHT, 0, `bare-${prefix}`);
    bareCpu += cpuMs(bareStarted);
    const started = performance.now();
    const appStarted = process.cpuUsage();
    const appTimes = await burst(appUrl, next, DELIVERIES, WARM_UP, IN_FLIGHT, cycle, prefix);
    appCpu += cpuMs(appStarted);
    floor.push(...bareTimes);
    app.push(...appTimes);
    roundRatios.push(percentile(appTimes, 99) / percentile(bareTimes, 99));
    next += WARM_UP + DELIVERIES;
    await (mode === "embedded" ? agent.idle() : agent.webhooksHandled());
    handledMs = Math.max(handledMs, performance.now() - started);
  }
  const recorded = await countRecorded(mode, prefix, path.join(workdir, "state.db"));
  const expected = next - 1;
  console.log(
    `webhook acknowledgement, ${mode === "redis" ? "Redis mode (BullMQ)" : "embedded mode (node:sqlite, in-process queue)"}: ${rounds} rounds of ${DELIVERIES} signed issues.labeled deliveries, ${IN_FLIGHT} in flight, each after ${WARM_UP} warm-up, alternating with the bare server:`,
  );
  console.log(
    `  issue-agent: p50 ${ms(median(app))}  p99 ${ms(percentile(app, 99))}  (cold first delivery ${ms(cold[0]!)})`,
  );
  const perDelivery = (total: number) => ms(total / (rounds * (WARM_UP + DELIVERIES)));
  console.log(
    `  receiving process's CPU per delivery during the bursts: issue-agent ${perDelivery(appCpu)}, bare server ${perDelivery(bareCpu)}`,
  );
  console.log(`  bare node HTTP server: p50 ${ms(median(floor))}  p99 ${ms(percentile(floor, 99))}`);
  console.log(
    `  p99 over the bare server's, each round: ${roundRatios.map((r) => `${r.toFixed(2)}×`).join(", ")}`,
  );
  console.log(
    `  deliveries recorded: ${recorded} of ${expected}${recorded === expected ? " — none lost" : " — LOST SOME"}; each burst fully handled within ${ms(handledMs)}`,
  );
  const result = reportRatio(
    `webhook acknowledgement p99, ${mode} mode, over a bare server's (median of the rounds' ratios)`,
    median(roundRatios),
    1.25,
  );
  await agent.shutdown(1_000);
  await server.stop();
  bare.close();
  await remote.stop();
  if (mode === "redis") await deleteKeys(prefix);
  rmSync(workdir, { recursive: true, force: true });
  return result;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1_000;
};

/** Deliveries whose request was recorded (the durable record the acknowledgement promises). */
async function countRecorded(mode: "embedded" | "redis", prefix: string, database: string): Promise<number> {
  if (mode === "redis") {
    const redis = new Redis("redis://127.0.0.1:6379");
    const keys = await redis.keys(`${prefix}:delivery:*`);
    redis.disconnect();
    return keys.length;
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(database, { readOnly: true });
  const row = db.prepare("SELECT count(*) AS n FROM deliveries WHERE id LIKE ?").get(`${prefix}-%`) as {
    n: number;
  };
  db.close();
  return Number(row.n);
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis("redis://127.0.0.1:6379");
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
}
