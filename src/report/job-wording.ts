/**
 * The sentences of a job's report that tell the reader what to do next, which depend on where it
 * is read: on GitHub a maintainer comments on the issue, at a terminal the user runs the command
 * again. The renderers stay shared; only these words change (see src/cli/terminal-wording.ts).
 */
export interface JobWording {
  /** How to start the job again, after a failure that may well not happen twice. */
  retry: string;
  /** What to do after a failure nobody foresaw. */
  unexpectedFailure: string;
}

export const GITHUB_WORDING: JobWording = {
  retry: "Comment `/agent` on the issue to retry.",
  unexpectedFailure: "Comment `/agent` to retry; if it fails again, check the app's logs.",
};
