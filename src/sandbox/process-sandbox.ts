import { mkdir } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { commandEnvironment } from "./command-environment.ts";
import { OutputCapture } from "./output-capture.ts";
import type { CommandRequest, CommandResult, Sandbox } from "./sandbox.ts";

/**
 * Runs a command as a child process group of the app: explicit environment, timeout that kills
 * the whole group (background children included), capped output. Process isolation only — the
 * bubblewrap sandbox adds filesystem and network isolation on top of the same contract.
 */
export class ProcessSandbox implements Sandbox {
  private readonly scratchRoot: string;

  /** @param scratchRoot a directory outside the workspace for the command's HOME and TMPDIR */
  constructor(scratchRoot: string) {
    this.scratchRoot = scratchRoot;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const home = path.join(this.scratchRoot, "home");
    const tmpDir = path.join(this.scratchRoot, "tmp");
    await mkdir(home, { recursive: true });
    await mkdir(tmpDir, { recursive: true });

    const started = Date.now();
    const capture = new OutputCapture(request.maxOutputBytes);
    const child = execa("bash", ["-c", request.command], {
      cwd: request.cwd,
      env: commandEnvironment({ home, tmpDir }),
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
    }, request.timeoutMs);
    const onAbort = () => killGroup();
    request.signal?.addEventListener("abort", onAbort, { once: true });

    // Resolve on the shell's exit, not on stream close: a background child holding stdout open
    // must not keep the agent waiting. The group is then killed so nothing outlives the command.
    const exitCode = await new Promise<number | null>((resolve) => {
      child.nodeChildProcess.on("exit", (code) => resolve(code));
      child.nodeChildProcess.on("error", () => resolve(null));
    });
    killGroup();
    await child.catch(() => undefined);
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onAbort);

    return {
      exitCode: timedOut ? null : exitCode,
      output: capture.text(),
      timedOut,
      omittedBytes: capture.omittedBytes,
      durationMs: Date.now() - started,
    };
  }
}
