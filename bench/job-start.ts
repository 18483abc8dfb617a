// How soon a job starts, against a plain `git clone` of the same repository over the same
// transport, measured in the same rounds. See docs/benchmarks.md.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { createIssueAgent } from "../src/app.ts";
import { loadSettings } from "../src/settings.ts";
import { issuesLabeled } from "../test/fixtures/events.ts";
import { call, ScriptedModelServer } from "../test/helpers/scripted-model-server.ts";
import { INSTALLATION_TOKEN, median, ms, remoteGitHub, reportRatio, type RatioResult } from "./measure.ts";
import { productionProbot } from "./production-probot.ts";

const execFileAsync = promisify(execFile);
const FILES = 5_000;
/** How long the model takes to answer (see jobStart). */
const MODEL_ANSWER_MS = 1_100;

/** What `git clone` of the base branch costs over the same transport with the same token. */
async function plainClone(cloneUrl: string, target: string): Promise<number> {
  const auth = `Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64")}`;
  const started = performance.now();
  await execFileAsync("git", [
    "-c",
    `http.extraHeader=${auth}`,
    "clone",
    "--quiet",
    "--branch",
    "main",
    "--single-branch",
    cloneUrl,
    target,
  ]);
  return performance.now() - started;
}

/** A fresh app (empty repository cache) that runs two jobs on the repository, one after the other. */
async function twoJobs(
  baseUrl: string,
  modelUrl: string,
  firstRequest: () => number,
  issue: number,
  workdir: string,
) {
  const probot = productionProbot(baseUrl);
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
  for (const issueNumber of [issue, issue + 1]) {
    const started = performance.now();
    await probot.receive({
      id: `bench-start-${issueNumber}`,
      ...issuesLabeled({ owner: "octo-org", repo: "hello-world", issueNumber }),
    });
    await agent.idle();
    starts.push(firstRequest() - started);
  }
  await agent.shutdown(1_000);
  return { first: starts[0]!, second: starts[1]! };
}

/** `latencyMs`: each answer of the fake GitHub (API and git) that late, as across a network. */
export async function jobStart(rounds: number, latencyMs = 0): Promise<RatioResult[]> {
  const remote = await remoteGitHub(FILES, latencyMs);
  let firstRequestAt = 0;
  const model = new ScriptedModelServer(async () => {
    firstRequestAt = performance.now();
    // A model takes its time to answer, so a job lasts longer than the second in which it checked
    // its tree out. Answering at once would make the first job end within that second, and the
    // tree it leaves for the next job would be racily clean: git compares file times to its
    // index's by the second, so it would read every file again at the next checkout (about 80 ms
    // for these 5,000 files), a cost no real job leaves behind.
    await sleep(MODEL_ANSWER_MS);
    return call("give_up", { reason: "benchmark" });
  });
  const modelUrl = await model.start();
  // Every clone and app directory stays until the end. ext4 skips inodes freed in the last minutes
  // when it allocates new ones, scanning past each: a tree deleted between rounds made creating
  // the next round's 5,000 files several times slower (0.6 s -> 4 s), on whichever side came next.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-start-"));
  const clones: number[] = [];
  const firsts: number[] = [];
  const seconds: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Clone and jobs alternate, so that each ratio compares runs under the same load.
    clones.push(await plainClone(remote.cloneUrl, path.join(scratch, `plain-${round}`)));
    const workdir = path.join(scratch, `app-${round}`);
    const { first, second } = await twoJobs(
      remote.baseUrl,
      modelUrl,
      () => firstRequestAt,
      2 * round + 1,
      workdir,
    );
    firsts.push(first);
    seconds.push(second);
  }
  const ratios = (jobs: number[]) => median(jobs.map((job, round) => job / clones[round]!));
  console.log(
    `job start — from the issues.labeled webhook entering the app to the agent's first model request (issue read, check run and status comment asked for, workspace and its sandbox git view ready, setup planned, prompt built); ${rounds} rounds, a repository of ${FILES.toLocaleString("en-US")} files over authenticated smart-HTTP (fake GitHub in another process${latencyMs ? `, each answer ${latencyMs} ms late` : ""}):`,
  );
  console.log(
    `  plain git clone of the base branch: median ${ms(median(clones))}  (${clones.map(ms).join(", ")})`,
  );
  console.log(
    `  first job on the repository (empty cache): median ${ms(median(firsts))}  (${firsts.map(ms).join(", ")})`,
  );
  console.log(
    `  second job on the repository: median ${ms(median(seconds))}  (${seconds.map(ms).join(", ")})`,
  );
  const results = [
    reportRatio("first job's start over a plain clone (median of the rounds' ratios)", ratios(firsts), 1.15),
    reportRatio("second job's start over a plain clone (median of the rounds' ratios)", ratios(seconds), 0.1),
  ];
  await model.stop();
  await remote.stop();
  rmSync(scratch, { recursive: true, force: true });
  return results;
}
