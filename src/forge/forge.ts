/**
 * Everything the pipeline needs from a code host, for one issue. GitHub is one implementation; the
 * local CLI is another (files on disk), so the pipeline never depends on Probot.
 */
export interface IssueThread {
  number: number;
  title: string;
  body: string;
  url: string;
  author: string;
  comments: Array<{ author: string; body: string }>;
}

export interface RepositoryInfo {
  /** What `git clone` fetches; from the API so Enterprise hosts work. */
  cloneUrl: string;
  defaultBranch: string;
}

/** HTTP basic credentials for git; sent as a header, never written into a URL or `.git/config`. */
export interface GitCredentials {
  username: string;
  password: string;
}

export interface CheckAnnotation {
  path: string;
  message: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  /** Files that broke a path or lint rule; shown on the files in the checks UI. */
  annotations?: CheckAnnotation[];
}

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "action_required";

export interface PullRequestDraft {
  title: string;
  body: string;
  head: string;
  base: string;
  /** Opened as a draft: it needs a human before it can merge. */
  draft: boolean;
}

export interface PullRequestRef {
  number: number;
  url: string;
}

export interface PullRequestInfo {
  number: number;
  url: string;
  body: string;
  /** The branch the pull request merges from. */
  headRef: string;
  headSha: string;
}

/** One inline review comment: where it points and what it says. */
export interface ReviewComment {
  id: number;
  path: string;
  line: number | undefined;
  diffHunk: string;
  body: string;
  author: string;
}

export interface Forge {
  getRepository(): Promise<RepositoryInfo>;
  /** The commit a branch points at: the default branch's carries the job's check run. */
  branchHead(branch: string): Promise<string>;
  getIssueThread(): Promise<IssueThread>;
  gitCredentials(): Promise<GitCredentials | undefined>;
  /** Who the commits are by: the app's bot account on GitHub. */
  commitAuthor(): Promise<{ name: string; email: string }>;
  /**
   * Creates the job's status comment the first time, edits that same comment afterwards (also
   * after a restart, when the forge was given the comment's id). Returns the comment's id.
   */
  setStatusComment(body: string): Promise<number>;
  comment(body: string): Promise<void>;
  createCheckRun(headSha: string, output: CheckRunOutput): Promise<number>;
  updateCheckRun(id: number, output: CheckRunOutput): Promise<void>;
  completeCheckRun(id: number, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void>;
  /** A completed check run on another commit (the PR head), so it can be a required check. */
  reportCheckOn(headSha: string, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void>;
  openPullRequest(draft: PullRequestDraft): Promise<PullRequestRef>;
  updatePullRequestBody(pullNumber: number, body: string): Promise<void>;
  addLabels(issueOrPullNumber: number, labels: string[]): Promise<void>;
  requestReview(pullNumber: number, logins: string[]): Promise<void>;
  getPullRequest(pullNumber: number): Promise<PullRequestInfo>;
  /** The inline comments of one review. */
  reviewComments(pullNumber: number, reviewId: number): Promise<ReviewComment[]>;
  /**
   * The pull request's review threads still waiting on the author: unresolved, on current code,
   * last written by a person (not a bot). Each comes as its first comment (the one a reply goes
   * to) with the whole thread as its body.
   */
  openReviewThreads(pullNumber: number): Promise<ReviewComment[]>;
  /** Answers in a review comment's thread. */
  replyToReviewComment(pullNumber: number, commentId: number, body: string): Promise<void>;
}

export const CHECK_NAME = "issue-agent";
