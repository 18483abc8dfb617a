import { describeError, WorkspaceError } from "../errors.ts";

/** The mirror, fetched a moment ago, has no base branch: the remote has none any more. */
export class MissingBaseBranch extends Error {}

/** Why a job's clone failed, as the job reports it, with what to do. */
export function cloneFailure(
  error: unknown,
  options: { cloneUrl: string; baseBranch: string; redact: (text: string) => string },
): WorkspaceError {
  // git's words when a clone asks for a branch the remote lacks.
  if (error instanceof MissingBaseBranch || /Remote branch .* not found/.test(describeError(error))) {
    return new WorkspaceError(
      `The repository has no branch \`${options.baseBranch}\`, its default branch when the job was asked for: it was renamed or deleted since.`,
      "A new job reads the default branch as it is then.",
      { retryable: true },
    );
  }
  return new WorkspaceError(
    `Could not clone ${options.cloneUrl} (branch ${options.baseBranch}): ${options.redact(describeError(error))}`,
    "Check that the app is installed on this repository with the contents permission.",
  );
}
