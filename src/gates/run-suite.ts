import type { Git } from "../git.ts";
import type { CommandResult, Sandbox } from "../sandbox/sandbox.ts";

/** How much of a test run's output is kept as evidence. */
export const TEST_OUTPUT_BYTES = 12 * 1024;

/**
 * Runs the test command on the workspace as it is checked out, then resets the tree: files the
 * tests created are removed, ignored ones (dependencies, caches) are kept, so the next run or
 * checkout starts clean. Test-first and its exceptions both run the suite through this.
 */
export async function runSuite(options: {
  git: Git;
  sandbox: Sandbox;
  command: string;
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}): Promise<CommandResult> {
  try {
    return await options.sandbox.run({
      command: options.command,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      maxOutputBytes: TEST_OUTPUT_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await resetTree(options.git);
  }
}

export async function resetTree(git: Git): Promise<void> {
  await git.raw(["reset", "-q", "--hard"]);
  // Files the tests created are removed; ignored ones (dependencies, caches) are kept.
  await git.raw(["clean", "-fdq"]);
}

/** A run's exit as the gate's verdict shows it. */
export function describeExit(result: { exitCode: number | null; timedOut: boolean }): string {
  return result.timedOut ? "timed out" : String(result.exitCode);
}
