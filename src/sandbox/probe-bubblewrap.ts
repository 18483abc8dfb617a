import { spawn, type ChildProcess } from "node:child_process";
import { KEYRING_FILTER } from "./keyring-filter.ts";

export type BubblewrapStatus = { available: true } | { available: false; reason: string };

let probe: Promise<BubblewrapStatus> | undefined;

/**
 * Whether bubblewrap can create its namespaces here (it may be missing, or forbidden in a
 * container), and load the seccomp filter every command gets (see keyring-filter.ts).
 */
export function probeBubblewrap(): Promise<BubblewrapStatus> {
  probe ??= new Promise((resolve) => {
    const unavailable = (reason: string) => resolve({ available: false, reason });
    let child: ChildProcess;
    try {
      child = spawnProbe();
    } catch (error) {
      // spawn throws rather than emits for some errors: the answer is the same.
      unavailable(
        `bubblewrap cannot create its sandbox here: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    let printed = "";
    child.stderr?.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const filter = child.stdio[3] as NodeJS.WritableStream | undefined;
    filter?.on("error", () => undefined);
    filter?.end(KEYRING_FILTER);
    child.on("error", (error: NodeJS.ErrnoException) =>
      unavailable(
        error.code === "ENOENT"
          ? "bubblewrap (`bwrap`) is not installed on the app host"
          : `bubblewrap cannot create its sandbox here: ${error.message}`,
      ),
    );
    child.on("close", (code, signal) =>
      code === 0
        ? resolve({ available: true })
        : unavailable(
            `bubblewrap cannot create its sandbox here: ${printed.trim() || `it ended with ${signal ?? `exit code ${code}`}`}`,
          ),
    );
  });
  return probe;
}

/** The smallest sandbox a command gets: the namespaces, and the seccomp filter on fd 3. */
function spawnProbe(): ChildProcess {
  return spawn(
    "bwrap",
    [
      ...["--die-with-parent", "--unshare-user", "--cap-drop", "ALL", "--unshare-pid", "--unshare-net"],
      ...["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--seccomp", "3", "true"],
    ],
    { stdio: ["ignore", "ignore", "pipe", "pipe"], timeout: 10_000 },
  );
}
