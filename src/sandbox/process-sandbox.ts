import { mkdir } from "node:fs/promises";
import path from "node:path";
import { commandEnvironment } from "./command-environment.ts";
import { runCapped } from "./run-capped.ts";
import type { CommandRequest, CommandResult, Sandbox, SandboxAccess } from "./sandbox.ts";

/**
 * Runs a command as a child process group of the app: explicit environment, timeout that kills
 * the whole group, capped output — but no filesystem or network isolation. Used only where
 * bubblewrap is unavailable and the repository opted in with `sandbox.allow_unsandboxed`.
 */
export class ProcessSandbox implements Sandbox {
  readonly isolated = false;
  private readonly scratchRoot: string;
  private readonly environment: SandboxAccess["environment"];

  /**
   * @param scratchRoot a directory outside the workspace for the command's HOME and TMPDIR
   * @param environment variables added to the allowlisted environment (cache locations)
   */
  constructor(scratchRoot: string, environment?: SandboxAccess["environment"]) {
    this.scratchRoot = scratchRoot;
    this.environment = environment;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const home = path.join(this.scratchRoot, "home");
    const tmpDir = path.join(this.scratchRoot, "tmp");
    await mkdir(home, { recursive: true });
    await mkdir(tmpDir, { recursive: true });
    return runCapped({
      file: "bash",
      args: ["-c", request.command],
      cwd: request.cwd,
      env: commandEnvironment({ home, tmpDir, extra: this.environment }),
      timeoutMs: request.timeoutMs,
      maxOutputBytes: request.maxOutputBytes,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }
}
