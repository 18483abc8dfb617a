import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A pids cgroup for one command, where the app may create one (it runs as root with the cgroup
 * file system writable, v1 or delegated v2). Needed exactly there: the kernel does not apply the
 * process rlimit to processes that are root on the host, which the sandbox's user is when the app
 * runs as root.
 */
export interface PidsCgroup {
  /** The file a process writes its pid to, to join (before it starts the sandbox). */
  procsFile: string;
  /** Whether a fork was refused because the cgroup was full. */
  limitHit(): boolean;
  remove(): Promise<void>;
}

let parent: string | null | undefined;
let sequence = 0;

/** Creates a cgroup limited to `maxProcesses`, or undefined where none can be created. */
export function createPidsCgroup(maxProcesses: number): PidsCgroup | undefined {
  parent ??= findWritableParent();
  if (!parent) return undefined;
  const dir = path.join(parent, `issue-agent-${process.pid}-${++sequence}`);
  try {
    mkdirSync(dir);
    writeFileSync(path.join(dir, "pids.max"), String(maxProcesses));
  } catch {
    return undefined;
  }
  return {
    procsFile: path.join(dir, "cgroup.procs"),
    limitHit: () => /^max [1-9]/m.test(readOr(path.join(dir, "pids.events"))),
    remove: async () => {
      // The sandbox's processes die with its PID namespace; give the kernel a moment to reap them.
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          rmdirSync(dir);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
}

function readOr(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The app's own pids cgroup (v1 pids hierarchy, or v2 with pids delegated), if it may add children. */
function findWritableParent(): string | null {
  const mounts = readOr("/proc/self/mountinfo").split("\n");
  const own = readOr("/proc/self/cgroup").split("\n");
  const candidates: string[] = [];
  const v1Mount = mounts
    .map((line) => line.split(" "))
    .find((f) => f.includes("cgroup") && /(^|,)pids(,|$)/.test(f.at(-1) ?? ""));
  const v1Path = own.find((line) => /^\d+:([^:]*,)?pids(,[^:]*)?:/.test(line))?.split(":")[2];
  if (v1Mount?.[4] && v1Path !== undefined) candidates.push(path.join(v1Mount[4], v1Path));
  const v2Mount = mounts.map((line) => line.split(" ")).find((f) => f.includes("cgroup2"));
  const v2Path = own.find((line) => line.startsWith("0::"))?.slice(3);
  if (v2Mount?.[4] && v2Path !== undefined) {
    const dir = path.join(v2Mount[4], v2Path);
    if (readOr(path.join(dir, "cgroup.subtree_control")).split(/\s+/).includes("pids")) candidates.push(dir);
  }
  for (const dir of candidates) {
    const probe = path.join(dir, `issue-agent-probe-${process.pid}`);
    try {
      mkdirSync(probe);
      const usable = readOr(path.join(probe, "pids.max")) !== "";
      rmdirSync(probe);
      if (usable) return dir;
    } catch {
      // Not writable here; try the next.
    }
  }
  return null;
}
