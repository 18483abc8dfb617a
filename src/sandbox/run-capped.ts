import { execa } from "execa";
import { OutputCapture } from "./output-capture.ts";
import type { CommandResult } from "./sandbox.ts";

/**
 * Runs a program as its own process group with an explicit environment, kills the whole group at
 * the timeout (or on abort), and keeps only the head and tail of its output.
 */
export async function runCapped(options: {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}): Promise<CommandResult> {
  const started = Date.now();
  const capture = new OutputCapture(options.maxOutputBytes);
  const child = execa(options.file, options.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    // Its own process group, so a timeout can kill everything it started.
    detached: true,
    stdin: "ignore",
    all: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  child.all?.on("data", (chunk: Buffer) => capture.push(chunk));

  let timedOut = false;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  // A stop that came while the command was judged or its sandbox laid out ends it at once.
  if (options.signal?.aborted) killGroup();
  const onAbort = () => killGroup();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  // Resolve on the program's exit, not on stream close: a background child holding stdout open
  // must not keep the agent waiting. The group is then killed so nothing outlives the command.
  const exitCode = await new Promise<number | null>((resolve) => {
    child.nodeChildProcess.on("exit", (code) => resolve(code));
    child.nodeChildProcess.on("error", () => resolve(null));
  });
  killGroup();
  await child.catch(() => undefined);
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);

  return {
    exitCode: timedOut ? null : exitCode,
    output: capture.text(),
    timedOut,
    omittedBytes: capture.omittedBytes,
    durationMs: Date.now() - started,
  };
}
