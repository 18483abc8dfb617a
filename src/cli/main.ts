#!/usr/bin/env node
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDotEnv } from "../load-env.ts";
import { CannotStart } from "./cannot-start.ts";
import { prepareLocalRun } from "./prepare-local-run.ts";
import { renderInterrupted, renderLocalResult } from "./render-local-result.ts";
import { terminalLog } from "./terminal-log.ts";

const USAGE = `Usage: issue-agent run --repo <path> --issue <file or text> [--instructions <text>] [--out <dir>]

Runs the agent on a local clone without GitHub. It leaves a branch agent/<n>-<slug> in the
repository with the agent's commits (one branch per step when the work is split), and writes each
pull request description to <dir> (default: .). Commands that need approval are asked about on the
terminal, and denied when there is none. Ctrl-C stops the run and removes its workspace.
The model is configured by OPENAI_API_KEY, OPENAI_BASE_URL and ISSUE_AGENT_MODEL.`;

/** The exit status of a run stopped with Ctrl-C, as shells report a process ended by SIGINT. */
const INTERRUPTED = 130;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "run") {
    const asked = command === "--help" || command === "-h";
    (asked ? console.log : console.error)(USAGE);
    return asked ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      repo: { type: "string" },
      issue: { type: "string" },
      instructions: { type: "string" },
      out: { type: "string", default: "." },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.repo || !values.issue) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const print = (line: string) => console.error(line);
  // The working directory's `.env` (never the --repo's), as the app reads it; but a variable set on
  // the command line wins, since that is what someone typing a one-off run means.
  loadDotEnv({ keepExisting: true });
  const input = await prepareLocalRun({ repo: values.repo, issue: values.issue }, process.env);
  const outputDir = path.resolve(values.out);
  await mkdir(outputDir, { recursive: true });

  // The first Ctrl-C stops the job, which kills its command and removes its workspace; a second
  // one quits at once, leaving the workspace behind.
  const stop = new AbortController();
  const interrupt = () => {
    if (stop.signal.aborted) {
      print("Stopped at once: the job's workspace may be left in the temporary directory.");
      process.exit(INTERRUPTED);
    }
    print("Stopping… (press Ctrl-C again to quit at once)");
    stop.abort();
  };
  process.on("SIGINT", interrupt);
  // The pipeline is loaded only for input that passed the checks, so a mistake is reported at once.
  const { runLocal } = await import("./run-local.ts");
  print(`issue-agent: working on "${input.issue.title}" in ${input.repoPath}`);
  try {
    const run = await runLocal({
      input,
      instructions: values.instructions,
      outputDir,
      print,
      log: terminalLog(print),
      signal: stop.signal,
    });
    if (stop.signal.aborted) {
      print(renderInterrupted(run, input.repoPath));
      return INTERRUPTED;
    }
    print(renderLocalResult(run, input.repoPath));
    for (const file of run.pullRequestFiles) console.log(file.path);
    return run.job.state === "succeeded" ? 0 : 1;
  } finally {
    process.off("SIGINT", interrupt);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CannotStart) {
    console.error(`issue-agent: ${error.message}`);
    process.exitCode = 2;
  } else if (
    error instanceof TypeError &&
    "code" in error &&
    String(error.code).startsWith("ERR_PARSE_ARGS")
  ) {
    console.error(`issue-agent: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
