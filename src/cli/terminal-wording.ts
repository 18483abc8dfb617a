import type { JobWording } from "../report/job-wording.ts";

/** The report's advice for the person at the terminal, who reruns the command instead of commenting. */
export const TERMINAL_WORDING: JobWording = {
  retry: "Run the same `issue-agent run` command again.",
  unexpectedFailure:
    "Run the same `issue-agent run` command again; if it fails again, the error above says where.",
};
