/**
 * Typed failures. Each carries a message written for the person who will read it on GitHub
 * (check-run summary, status comment), and a conclusion the job runner maps it to. Only the job
 * runner catches these; everything below it throws.
 */
export type FailureConclusion = "failure" | "cancelled" | "action_required" | "neutral";

export abstract class UserFacingError extends Error {
  abstract readonly conclusion: FailureConclusion;
  /** What the reader should do next; shown under the message. */
  readonly hint: string | undefined;
  /**
   * The same job may well succeed when started again; the report then says how to retry, in the
   * words of where it is read (a comment on GitHub, the command at a terminal).
   */
  readonly retryable: boolean;
  constructor(message: string, hint?: string, options: { retryable?: boolean } = {}) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
    this.retryable = options.retryable ?? false;
  }
}

/** `.github/agent.yml` (or another setting) is invalid. */
export class ConfigError extends UserFacingError {
  readonly conclusion = "action_required";
}

/**
 * A config the app read but cannot use: a file that is not valid YAML, or one that `_extends` a
 * base the app cannot read. It carries what could be read of it, so the intake can still tell which
 * label the repository meant (its own `trigger.label`) and answer on that one.
 */
export class UnusableConfig extends ConfigError {
  readonly raw: unknown;

  constructor(message: string, hint: string, raw: unknown) {
    super(message, hint);
    this.raw = raw;
  }
}

/** A step, time or token budget ran out before the agent finished. */
export class LimitsExceeded extends UserFacingError {
  readonly conclusion = "failure";
}

/** The model kept answering in a way the harness cannot use. */
export class ModelMisbehaved extends UserFacingError {
  readonly conclusion = "failure";
}

/** The model endpoint could not be reached or refused the request. */
export class ModelUnavailable extends UserFacingError {
  readonly conclusion = "failure";
}

/** Cloning, committing or pushing failed. */
export class WorkspaceError extends UserFacingError {
  readonly conclusion = "failure";
}

/** The app's process died too often while running the job. */
export class JobInterrupted extends UserFacingError {
  readonly conclusion = "failure";
}

/** The job was stopped on request. */
export class JobCancelled extends UserFacingError {
  readonly conclusion = "cancelled";
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The branch was pushed but the pull request could not be opened (or similar partial publish). */
export class PublishError extends UserFacingError {
  readonly conclusion = "failure";
}

/** A setup command (installing dependencies) failed, so the agent was never started. */
export class SetupFailed extends UserFacingError {
  readonly conclusion = "failure";
}
