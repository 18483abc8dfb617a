import type { AgentConfig } from "../config/agent-config.schema.ts";
import { ConfigError } from "../errors.ts";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { BubblewrapSandbox } from "./bubblewrap-sandbox.ts";
import { probeBubblewrap, type BubblewrapStatus } from "./probe-bubblewrap.ts";
import { ProcessSandbox } from "./process-sandbox.ts";
import type { Sandbox, SandboxAccess } from "./sandbox.ts";

/**
 * Bubblewrap when it works on this host, with the network as `sandbox.network` says unless `access`
 * says otherwise (setup reaches package registries). Otherwise commands are refused — the job
 * stops before the model is called, saying how to fix it — unless the repository opted into
 * running unsandboxed.
 */
export async function chooseSandbox(
  options: {
    workspace: string;
    scratch: string;
    config: AgentConfig;
    policy: PathPolicy;
    objectSource?: string | undefined;
    gitView?: { gitDir: string; objectStore: string } | undefined;
    /** The app's directories no command may see: all jobs' workspaces, the repository caches. */
    privatePaths?: readonly string[];
    /** Defaults to the repository's `sandbox.network` and nothing outside the workspace. */
    access?: SandboxAccess;
  },
  status: BubblewrapStatus | Promise<BubblewrapStatus> = probeBubblewrap(),
): Promise<Sandbox> {
  const bubblewrap = await status;
  const limits = {
    maxProcesses: options.config.sandbox.max_processes,
    maxMemoryMb: options.config.sandbox.max_memory_mb,
    maxTotalMemoryMb: options.config.sandbox.max_total_memory_mb,
    maxFileSizeMb: options.config.sandbox.max_file_size_mb,
    tmpSizeMb: options.config.sandbox.tmp_size_mb,
  };
  if (bubblewrap.available) {
    return new BubblewrapSandbox({
      workspace: options.workspace,
      scratch: options.scratch,
      access: options.access ?? { network: options.config.sandbox.network },
      policy: options.policy,
      objectSource: options.objectSource,
      gitView: options.gitView,
      limits,
      privatePaths: options.privatePaths,
    });
  }
  if (options.config.sandbox.allow_unsandboxed)
    return new ProcessSandbox(options.scratch, options.access?.environment, limits);
  throw new ConfigError(
    `The agent's commands cannot run safely: ${bubblewrap.reason}.`,
    "Install bubblewrap on the app host (Debian/Ubuntu: `apt-get install bubblewrap`; in a container, allow user namespaces), or set `sandbox.allow_unsandboxed: true` in .github/agent.yml to run commands without a sandbox.",
  );
}
