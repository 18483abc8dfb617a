import { execFile } from "node:child_process";
import { promisify } from "node:util";

/**
 * Whether a process whose command line holds `args` runs on this machine (sandboxed ones
 * included): the event "the agent's command has started", for a command unique to the test.
 */
export async function processRunning(args: string): Promise<boolean> {
  const { stdout } = await promisify(execFile)("ps", ["-ww", "-eo", "args"]);
  return stdout.includes(args);
}
