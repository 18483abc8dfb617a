/** Runs one shell command for the agent. Implementations decide how isolated it is. */
export interface CommandRequest {
  command: string;
  /** Absolute path of the workspace; the command starts there. */
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface CommandResult {
  exitCode: number | null;
  /** stdout and stderr interleaved, capped (head and tail kept). */
  output: string;
  timedOut: boolean;
  omittedBytes: number;
  durationMs: number;
}

export interface Sandbox {
  /** False for the plain process runner, which the PR body then calls out. */
  readonly isolated: boolean;
  run(request: CommandRequest): Promise<CommandResult>;
}

/** What a sandbox may add to the isolation it starts from (setup's network and caches). */
export interface SandboxAccess {
  /** Whether commands may reach the network. */
  network: boolean;
  /** Directories outside the workspace the commands may write; created when missing. */
  writableDirs?: readonly string[];
  /** Directories outside the workspace shown read-only; created when missing. */
  readOnlyDirs?: readonly string[];
  /** Variables added to the allowlisted environment: locations, never secrets. */
  environment?: Readonly<Record<string, string>>;
}
