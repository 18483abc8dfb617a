import { mkdir } from "node:fs/promises";
import path from "node:path";
import { commandEnvironment } from "./command-environment.ts";
import { DEFAULT_LIMITS, describeLimitHit, limitsPrelude, type ResourceLimits } from "./resource-limits.ts";
import { runCapped } from "./run-capped.ts";
import type { CommandRequest, CommandResult, Sandbox, SandboxAccess } from "./sandbox.ts";

/**
 * Runs a command as a child process group of the app: explicit environment, timeout that kills
 * the whole group, capped output, and the per-process limits of `sandbox.*` as ulimits — but no
 * namespace at all: the command runs as the app's user, sees the app host's files (the app's own
 * included), the repository's real `.git`, other processes and the network. No pids or memory
 * cgroup and no private /tmp; as root, the kernel ignores the process limit. Used only where
 * bubblewrap is unavailable and the repository opted in with `sandbox.allow_unsandboxed`; the
 * status comment, check run and pull request say so.
 */
export class ProcessSandbox implements Sandbox {
  readonly isolated = false;
  private readonly scratchRoot: string;
  private readonly environment: SandboxAccess["environment"];
  private readonly limits: ResourceLimits;

  /**
   * @param scratchRoot a directory outside the workspace for the command's HOME and TMPDIR
   * @param environment variables added to the allowlisted environment (cache locations)
   * @param limits `sandbox.max_*` of the repository; defaults apply without
   */
  constructor(scratchRoot: string, environment?: SandboxAccess["environment"], limits?: ResourceLimits) {
    this.scratchRoot = scratchRoot;
    this.environment = environment;
    this.limits = limits ?? DEFAULT_LIMITS;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const home = path.join(this.scratchRoot, "home");
    const tmpDir = path.join(this.scratchRoot, "tmp");
    await mkdir(home, { recursive: true });
    await mkdir(tmpDir, { recursive: true });
    const result = await runCapped({
      file: "bash",
      // The command is an argument of its own, never spliced into the prelude's text.
      args: ["-c", `${limitsPrelude(this.limits)}\nexec bash -c "$1"`, "bash", request.command],
      cwd: request.cwd,
      env: commandEnvironment({ home, tmpDir, extra: this.environment }),
      timeoutMs: request.timeoutMs,
      maxOutputBytes: request.maxOutputBytes,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const hit = describeLimitHit(result, this.limits);
    return hit ? { ...result, output: `${result.output}\n[sandbox: ${hit}]\n` } : result;
  }
}
