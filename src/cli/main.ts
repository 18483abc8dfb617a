#!/usr/bin/env node
import { parseArgs } from "node:util";
import { UserFacingError } from "../errors.ts";
import { loadSettings } from "../settings.ts";
import { runLocal } from "./run-local.ts";

const USAGE = `Usage: issue-agent run --repo <path> --issue <file or text> [--instructions <text>] [--out <dir>]

Runs the agent on a local clone without GitHub. It leaves a branch agent/<n>-<slug> in the
repository with the agent's commits (one branch per step when the work is split), and writes each
pull request description to <dir> (default: .). Commands that need approval are asked about on the
terminal, and denied when there is none.
The model is configured by OPENAI_API_KEY, OPENAI_BASE_URL and ISSUE_AGENT_MODEL.`;

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
  const { job, pullRequestFiles } = await runLocal({
    repoPath: values.repo,
    issue: values.issue,
    instructions: values.instructions,
    outputDir: values.out,
    settings: loadSettings(),
    print: (line) => console.error(line),
    log: {
      info: () => undefined,
      warn: (obj, msg) => console.error(`warning: ${msg}`, obj),
      error: (obj, msg) => console.error(`error: ${msg}`, obj),
    },
  });
  for (const file of pullRequestFiles) console.log(file);
  return job.state === "succeeded" ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UserFacingError) {
    console.error(`issue-agent: ${error.message}${error.hint ? `\n${error.hint}` : ""}`);
    process.exitCode = 1;
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
