/**
 * Everything the webhook side (intake) and the merge flow need from a code host, for one
 * repository, as the job side's `Forge` is for one issue. GitHub is one implementation; tests use
 * an in-memory one, so intake decisions are tested without Octokit. What it writes passes the
 * redactor first (see redactingRepositoryForge).
 */
export interface RepositoryForge {
  /** The raw `.github/agent.yml` from the default branch (with its fallbacks); null when there is none. */
  loadConfig(): Promise<unknown>;
  /** Whether `login` may ask the agent for work: write, maintain or admin, asked of the host. */
  hasWriteAccess(login: string): Promise<boolean>;
  /** A new comment on an issue or pull request. */
  comment(issueOrPullNumber: number, body: string): Promise<void>;
  /** Shows a person their comment was seen (a 👀 reaction). */
  acknowledgeComment(commentId: number): Promise<void>;
  pullRequest(pullNumber: number): Promise<PullRequestState>;
  /** The pull request's reviews, in submission order. */
  reviews(pullNumber: number): Promise<ReviewState[]>;
  /** The inline comments of one review. */
  reviewComments(pullNumber: number, reviewId: number): Promise<ReviewCommentState[]>;
  /** Every check run on a commit or branch. */
  checkRuns(ref: string): Promise<CheckRunState[]>;
  /** A check run's annotations as `path:line message`, at most `limit`. */
  checkAnnotations(checkRunId: number, limit: number): Promise<string[]>;
  /** The combined commit status; with no statuses at all, GitHub says pending and 0. */
  combinedStatus(ref: string): Promise<{ state: string; totalCount: number }>;
  /**
   * Merges the pull request if its head is still `sha`. The host's "no" (not mergeable, head moved,
   * method not allowed) is returned for people to act on; any other failure is thrown.
   */
  merge(pullNumber: number, options: { sha: string; method: MergeMethod }): Promise<MergeResult>;
  /** An open pull request whose base is `branch` (one of a stack building on it), if any. */
  pullRequestBuildingOn(branch: string): Promise<number | undefined>;
  deleteBranch(branch: string): Promise<BranchDeletion>;
  /** A status comment's current text. */
  readStatusComment(commentId: number): Promise<string>;
  /** Rewrites a job's status comment. Only the reporter calls this (see progress-reporter.ts). */
  editStatusComment(commentId: number, body: string): Promise<void>;
}

export type MergeMethod = "merge" | "squash" | "rebase";

export interface PullRequestState {
  number: number;
  /** "open" or "closed". */
  state: string;
  draft: boolean;
  merged: boolean;
  headRef: string;
  headSha: string;
  /** The head branch lives in this repository (not in a fork, whose branch names prove nothing). */
  fromThisRepository: boolean;
}

export interface ReviewState {
  author: string;
  authorIsBot: boolean;
  /** As GitHub reports it: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED. */
  state: string;
  /** The commit the review was made on. */
  commitId: string;
}

export interface ReviewCommentState {
  body: string;
  /** A reply in an existing thread rather than a new thread. */
  isReply: boolean;
}

export interface CheckRunState {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  title: string;
  summary: string;
  text: string;
  annotationsCount: number;
}

export type MergeResult = { merged: true } | { merged: false; refusal: string };

export type BranchDeletion =
  | { deleted: true }
  | { deleted: false; reason: "protected or already gone" | "could not delete it"; error: unknown };
