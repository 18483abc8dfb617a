import { AsyncLocalStorage } from "node:async_hooks";
import { execa } from "execa";

/**
 * The app's git client: `git <args>` in one directory, with exactly the environment given (for the
 * app's own work, the hardened one of workspace/git-environment.ts) and nothing else of the app's.
 *
 * Not simple-git, which the app used before: it waits 50 ms after every command that prints
 * nothing (`update-ref`, `read-tree`, `checkout --quiet`, `fetch --quiet`, …) for output that
 * might still arrive, and a job's start runs about twenty such commands, several in sequence.
 * The app only ever needed its `raw` call.
 */
export interface Git {
  /**
   * The command's standard output, as git printed it; rejects with a GitError if git fails. Its
   * standard input is `input`, or nothing.
   */
  raw(args: readonly string[], options?: { input?: string }): Promise<string>;
  /** `git rev-parse <args>`, trimmed. */
  revparse(args: readonly string[]): Promise<string>;
}

/** How much of git's output a GitError's message keeps, at most. */
const MESSAGE_CHARS = 4_000;

/** A git command that exited with an error; the message is what git printed (its end). */
export class GitError extends Error {
  readonly exitCode: number | undefined;

  constructor(message: string, exitCode: number | undefined) {
    super(message);
    this.name = "GitError";
    this.exitCode = exitCode;
  }
}

/** What git processes started in the current async context wait for first (see pacedGit). */
const pacing = new AsyncLocalStorage<() => Promise<void>>();

/**
 * Runs `work`, in which every git process the app starts first waits for `pace()`. Starting a
 * process stops the whole event loop while it forks and execs (10-15 ms on a 2-core machine), so
 * the embedded mode runs its jobs this way with the webhook receiver's turn (AnswerFirst): during
 * a burst of webhooks, a job's next git command waits for a pause instead of delaying the answers.
 */
export function pacedGit<T>(pace: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  return pacing.run(pace, work);
}

export function openGit(baseDir: string, env: Readonly<Record<string, string | undefined>>): Git {
  const raw = async (args: readonly string[], options: { input?: string } = {}) => {
    await pacing.getStore()?.();
    const result = await execa("git", args, {
      cwd: baseDir,
      env,
      extendEnv: false,
      // Git must never wait for input that is not coming.
      ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
      stripFinalNewline: false,
      reject: false,
    });
    if (result.exitCode === 0 && !result.failed) return result.stdout;
    // The end of what git printed, where it says what went wrong: the message reaches logs and
    // comments, and a hostile repository can make git print a great deal.
    const printed = `${result.stdout.slice(-MESSAGE_CHARS)}${result.stderr.slice(-MESSAGE_CHARS)}`
      .trim()
      .slice(-MESSAGE_CHARS);
    throw new GitError(
      printed || result.shortMessage || `git ${args[0] ?? ""} failed with exit code ${result.exitCode}`,
      result.exitCode,
    );
  };
  return {
    raw,
    revparse: async (args) => (await raw(["rev-parse", ...args])).trim(),
  };
}
