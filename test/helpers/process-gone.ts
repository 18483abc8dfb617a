import { execFileSync } from "node:child_process";
import { waitFor } from "./wait-for.ts";

/** Whether a process whose command line contains `marker` is alive on the host. */
export function processRunning(marker: string): boolean {
  try {
    execFileSync("pgrep", ["-f", marker], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until no process with `marker` in its command line is left: a killed process tree is
 * reaped by the kernel a moment after the kill returns, later on a loaded machine. Throws when one
 * is still there after `timeoutMs`, which is the escape the caller tests for.
 */
export async function expectProcessGone(marker: string, timeoutMs = 5_000): Promise<void> {
  await waitFor(() => !processRunning(marker), timeoutMs, 50).catch(() => {
    throw new Error(`a process running "${marker}" is still alive ${timeoutMs} ms after the kill`);
  });
}
