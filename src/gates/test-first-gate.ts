import type { Git } from "../git.ts";
import type { GateResult } from "../jobs/run-log.ts";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import type { CommandResult, Sandbox } from "../sandbox/sandbox.ts";
import { classifyTestFiles } from "./classify-test-files.ts";
import type { TestCommandPlan } from "./detect-test-command.ts";
import { describeExit, resetTree, runSuite } from "./run-suite.ts";
import { succeeded } from "../succeeded.ts";

/** Shells' exit codes for a command that was not found or could not be executed. */
const NOT_RUNNABLE: Record<number, string> = { 126: "not executable", 127: "command not found" };

type TestFirstOptions = {
  git: Git;
  cwd: string;
  branch: string;
  baseSha: string;
  headSha: string;
  paths: readonly string[];
  gates: AgentConfig["gates"];
  tests: TestCommandPlan;
  timeoutMs: number;
  sandbox: Sandbox;
  signal?: AbortSignal;
};

/**
 * Test-first, verified by running things: the step must add or modify tests; with only its test
 * changes applied to its base commit the test command must fail, and with the whole step it must
 * pass. Runs in the workspace (so ignored files such as installed dependencies stay available) on
 * a clean tree, and always returns the workspace to the branch tip. Without a command that runs,
 * the verdict is `not_verified`, never `passed`: changed test files alone prove nothing.
 */
export async function testFirstGate(options: TestFirstOptions): Promise<GateResult> {
  const { gates } = options;
  if (!gates.test_first)
    return { gate: "test-first", status: "skipped", detail: "`gates.test_first` is off" };
  const { tests, onlyExempt } = classifyTestFiles(options.paths, gates.tests);
  if (onlyExempt) return { gate: "test-first", status: "skipped", detail: "documentation-only change" };
  if (tests.length === 0) {
    return {
      gate: "test-first",
      status: "failed",
      detail: `the change adds or modifies no tests (test files match ${gates.tests.patterns.map((p) => `\`${p}\``).join(", ")})`,
    };
  }
  const command = options.tests.command;
  if (!command) {
    return {
      gate: "test-first",
      status: "not_verified",
      detail: `tests changed (${tests.map((t) => `\`${t}\``).join(", ")}) but were not run: no test command (${options.tests.source})`,
      fix: options.tests.off
        ? "Remove `gates.tests.command: none` from `.github/agent.yml` to have the tests run."
        : "Set `gates.tests.command` in `.github/agent.yml` (e.g. `npm test`, `python3 -m pytest`) so the tests run.",
    };
  }
  const { before, after } = await runBeforeAndAfter(options, command, tests);
  return judgeRuns(options.tests.source, command, before, after);
}

/** The suite on the base commit with only the step's tests, then on the whole step. */
async function runBeforeAndAfter(options: TestFirstOptions, command: string, tests: readonly string[]) {
  const { git } = options;
  const suite = {
    git,
    sandbox: options.sandbox,
    command,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  };
  const testsAtHead: string[] = [];
  for (const test of tests) {
    if (await succeeded(git.raw(["cat-file", "-e", `${options.headSha}:${test}`]))) testsAtHead.push(test);
  }
  try {
    await git.raw(["checkout", "-q", "--detach", options.baseSha]);
    if (testsAtHead.length > 0) await git.raw(["checkout", options.headSha, "--", ...testsAtHead]);
    const before = await runSuite(suite);
    await git.raw(["checkout", "-q", "--detach", options.headSha]);
    const after = await runSuite(suite);
    return { before, after };
  } finally {
    await resetTree(git);
    await git.raw(["checkout", "-q", options.branch]);
  }
}

/** Test-first's verdict on the two runs: fails before the change, passes with it. */
function judgeRuns(source: string, command: string, before: CommandResult, after: CommandResult): GateResult {
  const excerpts = [
    {
      title: `\`${command}\` on the base commit with only the test changes (exit ${describeExit(before)})`,
      text: before.output,
    },
    { title: `\`${command}\` with the whole change (exit ${describeExit(after)})`, text: after.output },
  ];
  const unrunnable = after.exitCode === null ? undefined : NOT_RUNNABLE[after.exitCode];
  if (unrunnable) {
    return {
      gate: "test-first",
      status: "not_verified",
      detail: `\`${command}\` (${source}) could not be run (exit ${after.exitCode}: ${unrunnable})`,
      fix: "Install the test runner in `setup.commands`, or set `gates.tests.command` to a command the sandbox has.",
      excerpts,
    };
  }
  if (before.exitCode === 0) {
    return {
      gate: "test-first",
      status: "failed",
      detail:
        "the tests already pass on the base commit with only the test changes applied, so they do not show what the change fixes or adds",
      excerpts,
    };
  }
  if (after.exitCode !== 0) {
    return {
      gate: "test-first",
      status: "failed",
      detail: `the tests fail with the whole change (exit ${describeExit(after)})`,
      excerpts,
    };
  }
  return {
    gate: "test-first",
    status: "passed",
    detail: `\`${command}\` (${source}) failed before the change (exit ${describeExit(before)}) and passes with it`,
    excerpts,
  };
}
