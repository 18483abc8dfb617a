import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The cgroups one command runs in, where the app may create them (it runs as root with the cgroup
 * file system writable, v1 or delegated v2):
 * - pids: the kernel does not apply the process rlimit to processes that are root on the host,
 *   which the sandbox's user is when the app runs as root; the cgroup holds there too.
 * - memory: rlimits only cap each process; the cgroup caps all of the command's processes (and what
 *   they put in its /tmp) together. Only the command is in it, so an out-of-memory kill there can
 *   never pick the app.
 */
export interface CommandCgroup {
  /** The files a process writes its pid to, to join (before it starts the sandbox). */
  procsFiles: string[];
  /** Whether the total memory is capped (a memory cgroup could be created). */
  capsMemory: boolean;
  /** Whether a fork was refused because the cgroup was full. */
  processLimitHit(): boolean;
  /** Whether the kernel killed one of the command's processes at the memory limit. */
  memoryLimitHit(): boolean;
  remove(): Promise<void>;
}

type Controller = "pids" | "memory";
interface Parent {
  dir: string;
  v2: boolean;
}

const parents = new Map<Controller, Parent | null>();
let sequence = 0;
let warned = false;

/** Creates the command's cgroups, or undefined where neither controller can be used. */
export function createCommandCgroup(limits: {
  maxProcesses: number;
  maxTotalMemoryMb: number;
}): CommandCgroup | undefined {
  const pids = parentFor("pids");
  const memory = parentFor("memory");
  if (!memory && !warned) {
    warned = true;
    console.warn(
      "issue-agent sandbox: the total memory of a command is not capped (sandbox.max_total_memory_mb): the app cannot create a memory cgroup here (it needs root and a writable cgroup file system, or a delegated cgroup v2 with the memory controller). Each process is still limited by sandbox.max_memory_mb; run the app in a container with a memory limit to bound the total.",
    );
  }
  const name = `issue-agent-${process.pid}-${++sequence}`;
  const created: string[] = [];
  const make = (parent: Parent | null, write: (dir: string, v2: boolean) => void): string | undefined => {
    if (!parent) return undefined;
    const dir = path.join(parent.dir, name);
    try {
      if (!created.includes(dir)) mkdirSync(dir);
      if (!created.includes(dir)) created.push(dir);
      write(dir, parent.v2);
      return dir;
    } catch {
      return undefined;
    }
  };
  const pidsDir = make(pids, (dir) => writeFileSync(path.join(dir, "pids.max"), String(limits.maxProcesses)));
  const memoryDir = make(memory, (dir, v2) => writeMemoryLimit(dir, v2, limits.maxTotalMemoryMb * 2 ** 20));
  if (!pidsDir && !memoryDir) {
    removeNow(created);
    return undefined;
  }
  return {
    procsFiles: created.map((dir) => path.join(dir, "cgroup.procs")),
    capsMemory: memoryDir !== undefined,
    processLimitHit: () => !!pidsDir && /^max [1-9]/m.test(readOr(path.join(pidsDir, "pids.events"))),
    memoryLimitHit: () =>
      !!memoryDir &&
      /^oom_kill [1-9]/m.test(
        readOr(path.join(memoryDir, memory!.v2 ? "memory.events" : "memory.oom_control")),
      ),
    remove: async () => {
      // The sandbox's processes die with its PID namespace; give the kernel a moment to reap them.
      for (let attempt = 0; attempt < 50 && !removeNow(created); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 100));
    },
  };
}

/** The limit on RAM and swap together: swap would otherwise let a command past it, slowly. */
function writeMemoryLimit(dir: string, v2: boolean, bytes: number): void {
  if (v2) {
    writeFileSync(path.join(dir, "memory.max"), String(bytes));
    if (existsSync(path.join(dir, "memory.swap.max"))) writeFileSync(path.join(dir, "memory.swap.max"), "0");
    return;
  }
  writeFileSync(path.join(dir, "memory.limit_in_bytes"), String(bytes));
  // memsw is RAM plus swap; it may only be set once the RAM limit is at or below it.
  if (existsSync(path.join(dir, "memory.memsw.limit_in_bytes")))
    writeFileSync(path.join(dir, "memory.memsw.limit_in_bytes"), String(bytes));
}

/** Removes the directories still present; whether all are gone. */
function removeNow(dirs: string[]): boolean {
  for (const dir of [...dirs]) {
    try {
      rmdirSync(dir);
      dirs.splice(dirs.indexOf(dir), 1);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") dirs.splice(dirs.indexOf(dir), 1);
    }
  }
  return dirs.length === 0;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function parentFor(controller: Controller): Parent | null {
  if (!parents.has(controller)) parents.set(controller, findWritableParent(controller));
  return parents.get(controller)!;
}

/** The app's own cgroup of `controller` (v1 hierarchy, or v2 with it delegated), if it may add children. */
function findWritableParent(controller: Controller): Parent | null {
  const mounts = readOr("/proc/self/mountinfo")
    .split("\n")
    .map((line) => line.split(" "));
  const own = readOr("/proc/self/cgroup").split("\n");
  const candidates: Parent[] = [];
  const v1Mount = mounts.find(
    (f) => f.includes("cgroup") && new RegExp(`(^|,)${controller}(,|$)`).test(f.at(-1) ?? ""),
  );
  const v1Path = own
    .find((line) => new RegExp(`^\\d+:([^:]*,)?${controller}(,[^:]*)?:`).test(line))
    ?.split(":")[2];
  if (v1Mount?.[4] && v1Path !== undefined)
    candidates.push({ dir: path.join(v1Mount[4], v1Path), v2: false });
  const v2Mount = mounts.find((f) => f.includes("cgroup2"));
  const v2Path = own.find((line) => line.startsWith("0::"))?.slice(3);
  if (v2Mount?.[4] && v2Path !== undefined) {
    const dir = path.join(v2Mount[4], v2Path);
    if (readOr(path.join(dir, "cgroup.subtree_control")).split(/\s+/).includes(controller))
      candidates.push({ dir, v2: true });
  }
  const probeFile = controller === "pids" ? "pids.max" : "memory.max";
  for (const candidate of candidates) {
    const probe = path.join(candidate.dir, `issue-agent-probe-${process.pid}`);
    try {
      mkdirSync(probe);
      const file = candidate.v2 || controller === "pids" ? probeFile : "memory.limit_in_bytes";
      const usable = readOr(path.join(probe, file)) !== "";
      rmdirSync(probe);
      if (usable) return candidate;
    } catch {
      // Not writable here; try the next.
    }
  }
  return null;
}
