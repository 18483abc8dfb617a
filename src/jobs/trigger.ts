import type { AgentCommand } from "./agent-command.ts";

/** A validated request to work on an issue: what the webhook said, reduced to what a job needs. */
export interface Trigger {
  kind: "label" | "comment" | "check_run" | "review";
  deliveryId: string;
  installationId: number | undefined;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Login of the person who asked; they are asked to review the PR. */
  sender: string;
  /** Extra instructions from an `/agent …` comment; the only text treated as instructions. */
  instructions: string | undefined;
  /** The `/agent` comment itself, so it can be acknowledged with a reaction. */
  commentId: number | undefined;
  /** Set when the request itself waived test-first (`/agent skip-tests`): who did, with write access. */
  waivedBy?: string | undefined;
  /** Set for a follow-up job on the agent's own pull request (a review, or `/agent` on the PR). */
  revision?: Revision | undefined;
}

export type PullRequestEvent =
  | { type: "approved" | "checks_completed"; pullNumber: number; branch: string }
  /** The repository's own CI failed on an agent pull request: a follow-up job may fix it. */
  | { type: "ci_failed"; pullNumber: number; branch: string; headSha: string; baseRef: string }
  | { type: "closed"; pullNumber: number; branch: string; merged: boolean };

export interface Revision {
  pullNumber: number;
  /** The pull request's branch; the job continues from its current head. */
  branch: string;
  /** The review to address, when a review started the job. */
  reviewId: number | undefined;
  /** The review's text, or for a CI fix, the failing checks and their output. */
  reviewBody: string;
  /** How the review was submitted; a "commented" one may be no more than replies in threads. */
  reviewState?: "changes_requested" | "commented" | undefined;
  /** Set when the job fixes failing CI: which attempt this is (1-based). */
  ciAttempt?: number | undefined;
}

export function issueKey(t: Pick<Trigger, "owner" | "repo" | "issueNumber">): string {
  return `${t.owner}/${t.repo}#${t.issueNumber}`.toLowerCase();
}

/**
 * A trigger as the webhook receiver records it, before the config and the sender's permission are
 * checked: the durable unit of the intake stage (see Intake).
 */
export interface TriggerRequest {
  trigger: Trigger;
  /** The label that was added; compared with the repository's configured label once that is loaded. */
  labelName: string | undefined;
  /** What was asked: a label starts work; a comment may also stop, ask for status, retry… */
  command: AgentCommand;
  /** The comment was made on a pull request rather than an issue. */
  onPullRequest: boolean;
  /** Something happened to one of issue-agent's pull requests that the merge flow acts on. */
  pullRequestEvent?: PullRequestEvent | undefined;
  /** When the webhook arrived (ISO 8601). */
  receivedAt: string;
}
