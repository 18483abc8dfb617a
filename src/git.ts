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

/** A git command that exited with an error; the message is what git printed. */
export class GitError extends Error {
  readonly exitCode: number | undefined;

  constructor(message: string, exitCode: number | undefined) {
    super(message);
    this.name = "GitError";
    this.exitCode = exitCode;
  }
}

export function openGit(baseDir: string, env: Readonly<Record<string, string | undefined>>): Git {
  const raw = async (args: readonly string[], options: { input?: string } = {}) => {
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
    const printed = `${result.stdout}${result.stderr}`.trim();
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
