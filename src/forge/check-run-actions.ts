/**
 * The buttons on issue-agent's check run and how a click finds its job. GitHub sends a click (and
 * "Re-run") back as a `check_run` webhook carrying the check run's `external_id`, which names the
 * issue and the job, so the receiver can act without looking anything up.
 */
export interface CheckRunAction {
  /** At most 20 characters (GitHub's limit). */
  label: string;
  /** At most 40 characters. */
  description: string;
  /** At most 20 characters; what the webhook's `requested_action.identifier` says. */
  identifier: "stop" | "retry";
}

export const STOP_ACTION: CheckRunAction = {
  label: "Stop",
  description: "Stop the job; nothing is pushed",
  identifier: "stop",
};

export const RETRY_ACTION: CheckRunAction = {
  label: "Retry",
  description: "Run the job again",
  identifier: "retry",
};

const PREFIX = "issue-agent";

export function checkRunExternalId(issueNumber: number, jobId: string): string {
  return `${PREFIX}:${issueNumber}:${jobId}`;
}

/** The issue and job a check run belongs to; undefined for check runs that are not issue-agent's. */
export function parseCheckRunExternalId(
  externalId: string | null | undefined,
): { issueNumber: number; jobId: string } | undefined {
  const match = /^issue-agent:(\d+):([\w-]+)$/.exec(externalId ?? "");
  if (!match) return undefined;
  return { issueNumber: Number(match[1]), jobId: match[2]! };
}
