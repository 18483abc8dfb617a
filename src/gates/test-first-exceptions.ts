import { BEHAVIOUR_UNCHANGED, type GateResult } from "../jobs/run-log.ts";
import { behaviourUnchanged, type FileVersions } from "./behaviour-unchanged.ts";
import { classifyTestFiles } from "./classify-test-files.ts";
import { readBlobAt } from "./read-blob-at.ts";
import { describeExit, runSuite } from "./run-suite.ts";
import { testFirstGate } from "./test-first-gate.ts";

type TestFirstOptions = Parameters<typeof testFirstGate>[0];

/**
 * Test-first with its two exceptions, neither of which excuses a failing suite:
 * - a step that provably cannot change behaviour (comments, whitespace, formatting only) has no
 *   behaviour to test: it passes as "behaviour unchanged" once the existing tests pass with it;
 * - a step that fails test-first passes as "waived by @who" when someone with write access waived
 *   test-first for the job (`/agent skip-tests`) and the existing tests pass with it. It is never
 *   shown as passed.
 */
export async function testFirstVerdict(
  options: TestFirstOptions & { waivedBy?: (() => string | undefined) | undefined },
): Promise<GateResult> {
  if (!options.gates.test_first) return testFirstGate(options);
  const behaviour = await stepBehaviour(options);
  if (behaviour.unchanged) return suiteAtHead(options, "passed", BEHAVIOUR_UNCHANGED);
  const verdict = await testFirstGate(options);
  const waivedBy = options.waivedBy?.();
  if (verdict.status !== "failed" || !waivedBy) return verdict;
  return suiteAtHead(
    options,
    "waived",
    `waived by @${waivedBy} (\`/agent skip-tests\`) instead of: ${verdict.detail}`,
  );
}

/** Whether the step's non-documentation files differ in comments and layout only. */
async function stepBehaviour(options: TestFirstOptions) {
  const { git, baseSha, headSha, gates } = options;
  const isExempt = (file: string) => classifyTestFiles([file], gates.tests).onlyExempt;
  const files: FileVersions[] = [];
  for (const file of options.paths.filter((p) => !isExempt(p))) {
    const [before, after] = await Promise.all([
      readBlobAt(git, baseSha, file),
      readBlobAt(git, headSha, file),
    ]);
    // A changed file mode (an executable bit) or a symbolic link is not text a parser can judge.
    if (before && after && (before.mode !== after.mode || after.mode === "120000"))
      return { unchanged: false as const, because: `\`${file}\` changes its mode` };
    // An added or deleted file settles it: no need to read the rest.
    if (!before || !after)
      return behaviourUnchanged([{ path: file, before: before?.text, after: after?.text }]);
    files.push({ path: file, before: before.text, after: after.text });
  }
  return behaviourUnchanged(files);
}

/**
 * Runs the test command on the step's head (the workspace's current, clean state): the existing
 * suite must still pass. Without a test command there is nothing to run, and the verdict says so.
 */
async function suiteAtHead(
  options: TestFirstOptions,
  status: "passed" | "waived",
  headline: string,
): Promise<GateResult> {
  const command = options.tests.command;
  if (!command)
    return {
      gate: "test-first",
      status,
      detail: `${headline}; the existing tests were not run: no test command (${options.tests.source})`,
    };
  const result = await runSuite({
    git: options.git,
    sandbox: options.sandbox,
    command,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  const exit = describeExit(result);
  const excerpts = [{ title: `\`${command}\` with the whole change (exit ${exit})`, text: result.output }];
  if (result.exitCode !== 0)
    return {
      gate: "test-first",
      status: "failed",
      detail: `${headline}, but the tests fail (exit ${exit})`,
      excerpts,
    };
  return { gate: "test-first", status, detail: `${headline}; \`${command}\` passes`, excerpts };
}
