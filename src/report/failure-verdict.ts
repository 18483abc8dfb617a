import { describeError, UserFacingError } from "../errors.ts";
import type { CheckConclusion } from "../forge/forge.ts";
import type { RunLog } from "../jobs/run-log.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import type { JobWording } from "./job-wording.ts";
import { refusalVerdict } from "./refusal-verdict.ts";
import { formatCount } from "../format-count.ts";

/** How a job ended, as the check run and the status comment say it. */
export interface Verdict {
  conclusion: CheckConclusion;
  headline: string;
  detail: string | undefined;
}

/** What a job reports before anything has decided otherwise. */
export const UNEXPECTED_FAILURE: Verdict = {
  conclusion: "failure",
  headline: "failed unexpectedly",
  detail: undefined,
};

/** What a stopped job reports: who stopped it, what had been done, and that nothing was pushed. */
export function stoppedVerdict(by: string, log: RunLog): Verdict {
  const done = log.plan.filter((step) => step.status === "done").length;
  return {
    conclusion: "cancelled",
    headline: `stopped by @${by}`,
    detail: [
      `@${by} stopped the job with \`/agent stop\`. The running command, if any, was killed; nothing was pushed and no pull request was opened.`,
      `Done before the stop: ${formatCount(log.turns, "turn")}, ${formatCount(log.commands.length, "command")}, ${done} of ${log.plan.length} plan steps.`,
      "Comment `/agent retry` to start again, or `/agent <instructions>` to start with new instructions.",
    ].join("\n\n"),
  };
}

/** A failed job's verdict: a user-facing error's message and hint, or an unexpected one's description. */
export function failureVerdict(
  error: unknown,
  redactor: SecretRedactor,
  wording: JobWording,
  log: RunLog,
): Verdict {
  if (error instanceof UserFacingError) {
    const whatToDo = [error.hint, error.retryable ? wording.retry : undefined].filter(Boolean).join(" ");
    const detail = [error.message, whatToDo ? `**What to do:** ${whatToDo}` : ""]
      .filter(Boolean)
      .join("\n\n");
    const stopped = { conclusion: error.conclusion, headline: headlineFor(error), detail };
    const verdict = refusalVerdict(log, stopped) ?? stopped;
    return { ...verdict, detail: redactor.redact(verdict.detail) };
  }
  return {
    conclusion: "failure",
    headline: "failed unexpectedly",
    detail: `${redactor.redact(describeError(error))}\n\n**What to do:** ${wording.unexpectedFailure}`,
  };
}

function headlineFor(error: UserFacingError): string {
  switch (error.name) {
    case "ConfigError":
      return "stopped: configuration problem";
    case "LimitsExceeded":
      return "stopped: a limit was reached";
    case "ModelMisbehaved":
      return "stopped: the model's answers were unusable";
    case "ModelUnavailable":
      return "stopped: the model endpoint failed";
    case "SetupFailed":
      return "stopped: setup failed";
    case "JobCancelled":
      return "cancelled";
    default:
      return "failed";
  }
}
