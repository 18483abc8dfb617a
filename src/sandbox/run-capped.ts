import type { ChildProcess } from "node:child_process";
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
  /** Pipes beyond stdout and stderr (fd 3, 4, …), for `onSpawn` to talk to the program. */
  extraPipes?: number;
  /** What the program reads on the fds after those pipes, each written whole and closed. */
  inputs?: readonly Buffer[];
  /** Called once the program runs; a rejection kills it, and its message ends the output. */
  onSpawn?: (child: ChildProcess) => Promise<void>;
}): Promise<CommandResult> {
  const started = Date.now();
  const capture = new OutputCapture(options.maxOutputBytes);
  const child = execa(options.file, options.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    // Its own process group, so a timeout can kill everything it started.
    detached: true,
    stdio: [
      "ignore",
      "pipe",
      "pipe",
      ...Array<"pipe">((options.extraPipes ?? 0) + (options.inputs?.length ?? 0)).fill("pipe"),
    ],
    all: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  child.all?.on("data", (chunk: Buffer) => capture.push(chunk));
  feed(child.nodeChildProcess, 3 + (options.extraPipes ?? 0), options.inputs ?? []);

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
  options.onSpawn?.(child.nodeChildProcess).catch((error: unknown) => {
    capture.push(Buffer.from(`\n${error instanceof Error ? error.message : String(error)}\n`));
    killGroup();
  });

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

/** Writes each input whole to its pipe, from fd `first` on, and closes it. */
function feed(child: ChildProcess, first: number, inputs: readonly Buffer[]): void {
  inputs.forEach((input, index) => {
    const pipe = child.stdio[first + index] as NodeJS.WritableStream | undefined;
    // No pipe when the program could not be started (the failure is reported as such).
    if (!pipe) return;
    // A program that exits without reading its input closes the pipe: nothing to report.
    pipe.on("error", () => undefined);
    pipe.end(input);
  });
}
