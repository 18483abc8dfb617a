import type { CommandResult } from "./sandbox.ts";

/** What one sandboxed command may use (`sandbox.*` in `.github/agent.yml`). */
export interface ResourceLimits {
  /** Processes and threads alive at once. */
  maxProcesses: number;
  /** Memory of each process (its data segment: heap and private mappings), in MB. */
  maxMemoryMb: number;
  /** Memory of all the command's processes together (and its /tmp), in MB: a memory cgroup. */
  maxTotalMemoryMb: number;
  /** Size of any one file a command writes, in MB. */
  maxFileSizeMb: number;
  /** Size of the private /tmp, in MB. */
  tmpSizeMb: number;
}

export const DEFAULT_LIMITS: ResourceLimits = {
  maxProcesses: 512,
  maxMemoryMb: 2_048,
  maxTotalMemoryMb: 4_096,
  maxFileSizeMb: 1_024,
  tmpSizeMb: 512,
};

/**
 * Shell lines that set the limits inside the sandbox, soft and hard, before the command starts; a
 * command cannot raise a hard limit back (it has no capabilities). The process limit counts the
 * sandbox's own user namespace only, so the app's processes do not count against it — but the
 * kernel does not apply it where the sandbox's user is root on the host; there the process limit
 * comes from a pids cgroup (see `create-command-cgroup.ts`).
 */
export function limitsPrelude(limits: ResourceLimits): string {
  const kb = (mb: number) => String(Math.floor(mb * 1024));
  return [
    `ulimit -S -H -u ${limits.maxProcesses}`,
    `ulimit -S -H -d ${kb(limits.maxMemoryMb)}`,
    // bash counts file sizes in 1024-byte blocks.
    `ulimit -S -H -f ${kb(limits.maxFileSizeMb)}`,
    "ulimit -S -c 0",
  ].join(" && ");
}

const SIGXFSZ_EXIT = 128 + 25;

/**
 * The sentence that tells the model which limit its command ran into, or undefined. A command over a
 * limit fails inside the sandbox (a fork, an allocation or a write is refused; a file that grows too
 * large is killed), so the signs are its exit and what it printed.
 */
export function describeLimitHit(
  result: Pick<CommandResult, "exitCode" | "output">,
  limits: ResourceLimits,
  /** What the command's cgroups saw (see create-command-cgroup.ts), where it had them. */
  cgroupHit: { processes: boolean; memory: boolean } = { processes: false, memory: false },
): string | undefined {
  const { output } = result;
  if (cgroupHit.memory)
    return `the command's processes together used more than the sandbox's ${limits.maxTotalMemoryMb} MB (\`sandbox.max_total_memory_mb\`, its /tmp included); the kernel killed one and the command was stopped.`;
  if (
    cgroupHit.processes ||
    /fork: (retry: )?Resource temporarily unavailable|Cannot fork|spawn EAGAIN/i.test(output)
  )
    return `the command reached the sandbox's limit of ${limits.maxProcesses} processes (\`sandbox.max_processes\`) and was stopped.`;
  if (result.exitCode === SIGXFSZ_EXIT || /File size limit exceeded/i.test(output))
    return `the command wrote a file larger than the sandbox's limit of ${limits.maxFileSizeMb} MB (\`sandbox.max_file_size_mb\`) and was stopped.`;
  if (/No space left on device/i.test(output))
    return `the command ran out of disk space; its private /tmp holds at most ${limits.tmpSizeMb} MB (\`sandbox.tmp_size_mb\`): write large files into the workspace or delete what is no longer needed.`;
  // Only for a failed command: a passing one may well print these words.
  if (result.exitCode === 0) return undefined;
  if (
    /MemoryError|Cannot allocate memory|out of memory|allocation failed|bad_alloc|ENOMEM|JavaScript heap/i.test(
      output,
    )
  )
    return `the command ran out of memory: each process may use at most ${limits.maxMemoryMb} MB (\`sandbox.max_memory_mb\`).`;
  return undefined;
}
