import { z } from "zod";

/**
 * `sandbox:` in `.github/agent.yml`: how the agent's commands are isolated and what each may use.
 * The limits are enforced by the sandbox (cgroups where the app may create them, ulimits otherwise).
 */
export const sandboxConfigSchema = z
  .strictObject({
    network: z.boolean().default(false).describe("Whether the agent's commands may reach the network."),
    allow_unsandboxed: z
      .boolean()
      .default(false)
      .describe(
        "Where bubblewrap is missing, run commands without the sandbox instead of refusing them. The PR body says so prominently.",
      ),
    max_processes: z
      .int()
      .min(16)
      .max(100_000)
      .default(512)
      .describe(
        "Processes (and threads) one command may have at once; a fork beyond it fails and the command is stopped.",
      ),
    max_memory_mb: z
      .int()
      .min(64)
      .max(1_048_576)
      .default(2_048)
      .describe("Memory each process of a command may allocate, in MB; an allocation beyond it fails."),
    max_total_memory_mb: z
      .int()
      .min(64)
      .max(1_048_576)
      .default(4_096)
      .describe(
        "Memory all processes of a command may use together, in MB (a memory cgroup, where the app may create one); beyond it the command is stopped and the model told.",
      ),
    max_file_size_mb: z
      .int()
      .min(1)
      .max(1_048_576)
      .default(1_024)
      .describe("Largest file a command may write, in MB; a command writing more is stopped."),
    tmp_size_mb: z
      .int()
      .min(1)
      .max(1_048_576)
      .default(512)
      .describe("Size of the command's private /tmp, in MB (it lives in memory)."),
  })
  .prefault({})
  .describe("Isolation of the agent's commands (bubblewrap).");
