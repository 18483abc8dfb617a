import { processRunning } from "./process-running.ts";
import { waitFor } from "./wait-for.ts";

/**
 * Waits until no process with `marker` in its command line is left: a killed process tree is
 * reaped by the kernel a moment after the kill returns, later on a loaded machine. Throws when one
 * is still there after `timeoutMs`, which is the escape the caller tests for.
 */
export async function expectProcessGone(marker: string, timeoutMs = 5_000): Promise<void> {
  await waitFor(async () => !(await processRunning(marker)), timeoutMs, 50).catch(() => {
    throw new Error(`a process running "${marker}" is still alive ${timeoutMs} ms after the kill`);
  });
}
