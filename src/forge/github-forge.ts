import type { Octokit } from "./octokit.ts";
import type {
  CheckConclusion,
  CheckRunOutput,
  Forge,
  GitCredentials,
  IssueThread,
  PullRequestDraft,
  PullRequestInfo,
  PullRequestRef,
  RepositoryInfo,
  ReviewComment,
} from "./forge.ts";
import { CHECK_NAME } from "./forge.ts";
import { checkRunExternalId, RETRY_ACTION, STOP_ACTION } from "./check-run-actions.ts";
import { fitCheckOutput } from "./fit-check-output.ts";
import { fitGitHubText } from "./github-limits.ts";
import { readOpenReviewThreads } from "./read-review-threads.ts";

/** Most comments of an issue passed to the agent; the newest are kept. */
const MAX_ISSUE_COMMENTS = 100;

/** The GitHub App implementation of `Forge`, bound to one issue through an installation client. */
export class GitHubForge implements Forge {
  private statusCommentId: number | undefined;
  private repositoryRead: Promise<RepositoryInfo> | undefined;
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly issueNumber: number;
  private readonly appIdentity: () => Promise<{ name: string; email: string }>;
  private readonly jobId: string | undefined;
  private readonly detailsUrl: string | undefined;

  constructor(options: {
    octokit: Octokit;
    owner: string;
    repo: string;
    issueNumber: number;
    appIdentity: () => Promise<{ name: string; email: string }>;
    /** The status comment of an earlier attempt of the same job. */
    statusCommentId?: number | undefined;
    /** Ties the check run's Stop and Retry buttons to the job. */
    jobId?: string;
    /** The job's page, the check run's "Details" link. */
    detailsUrl?: string | undefined;
  }) {
    this.detailsUrl = options.detailsUrl;
    this.jobId = options.jobId;
    this.statusCommentId = options.statusCommentId;
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.issueNumber = options.issueNumber;
    this.appIdentity = options.appIdentity;
  }

  private get repoParams() {
    return { owner: this.owner, repo: this.repo };
  }

  getRepository(): Promise<RepositoryInfo> {
    this.repositoryRead = this.readRepository();
    return this.repositoryRead;
  }

  private async readRepository(): Promise<RepositoryInfo> {
    const { data } = await this.octokit.rest.repos.get(this.repoParams);
    return { cloneUrl: data.clone_url, defaultBranch: data.default_branch };
  }

  async branchHead(branch: string): Promise<string> {
    const { data } = await this.octokit.rest.repos.getBranch({ ...this.repoParams, branch });
    return data.commit.sha;
  }

  async getIssueThread(): Promise<IssueThread> {
    const [{ data: issue }, comments] = await Promise.all([
      this.octokit.rest.issues.get({ ...this.repoParams, issue_number: this.issueNumber }),
      this.octokit.paginate(this.octokit.rest.issues.listComments, {
        ...this.repoParams,
        issue_number: this.issueNumber,
        per_page: 100,
      }),
    ]);
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body ?? "",
      url: issue.html_url,
      author: issue.user?.login ?? "ghost",
      comments: comments
        .filter((c) => c.id !== this.statusCommentId)
        .slice(-MAX_ISSUE_COMMENTS)
        .map((c) => ({ author: c.user?.login ?? "ghost", body: c.body ?? "" })),
    };
  }

  /** The installation token the API calls use (valid for an hour), for git over HTTPS. */
  async gitCredentials(): Promise<GitCredentials> {
    // Taken from auth-app's cache, where an API call's hook put it. Asked of `auth()` while the
    // cache has none, auth-app mints one with a request that lacks the base URL of a GitHub
    // Enterprise server (it calls api.github.com), so an API call comes first: the repository's
    // read, usually already on its way. When that fails, so does this: asked of auth() then, the
    // mint would go to api.github.com, with the app's signed token.
    await (this.repositoryRead ?? this.getRepository());
    const auth = (await this.octokit.auth({ type: "installation" })) as { token: string };
    return { username: "x-access-token", password: auth.token };
  }

  commitAuthor() {
    return this.appIdentity();
  }

  async setStatusComment(body: string): Promise<number> {
    const text = fitGitHubText(body);
    if (this.statusCommentId === undefined) {
      const { data } = await this.octokit.rest.issues.createComment({
        ...this.repoParams,
        issue_number: this.issueNumber,
        body: text,
      });
      this.statusCommentId = data.id;
      return data.id;
    }
    await this.octokit.rest.issues.updateComment({
      ...this.repoParams,
      comment_id: this.statusCommentId,
      body: text,
    });
    return this.statusCommentId;
  }

  async comment(body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({
      ...this.repoParams,
      issue_number: this.issueNumber,
      body: fitGitHubText(body),
    });
  }

  async createCheckRun(headSha: string, output: CheckRunOutput): Promise<number> {
    const { data } = await this.octokit.rest.checks.create({
      ...this.repoParams,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: fitCheckOutput(output),
      ...(this.detailsUrl ? { details_url: this.detailsUrl } : {}),
      ...(this.jobId
        ? { external_id: checkRunExternalId(this.issueNumber, this.jobId), actions: [STOP_ACTION] }
        : {}),
    });
    return data.id;
  }

  async updateCheckRun(id: number, output: CheckRunOutput): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repoParams,
      check_run_id: id,
      output: fitCheckOutput(output),
    });
  }

  async completeCheckRun(id: number, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repoParams,
      check_run_id: id,
      status: "completed",
      conclusion,
      completed_at: new Date().toISOString(),
      output: fitCheckOutput(output),
      // A job that did not succeed can be run again from the check run; a finished one cannot be stopped.
      ...(this.jobId ? { actions: conclusion === "success" ? [] : [RETRY_ACTION] } : {}),
    });
  }

  async reportCheckOn(headSha: string, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void> {
    await this.octokit.rest.checks.create({
      ...this.repoParams,
      name: CHECK_NAME,
      head_sha: headSha,
      status: "completed",
      conclusion,
      completed_at: new Date().toISOString(),
      output: fitCheckOutput(output),
    });
  }

  async openPullRequest(draft: PullRequestDraft): Promise<PullRequestRef> {
    const { data } = await this.octokit.rest.pulls.create({
      ...this.repoParams,
      title: draft.title,
      body: fitGitHubText(draft.body),
      head: draft.head,
      base: draft.base,
      draft: draft.draft,
    });
    return { number: data.number, url: data.html_url };
  }

  async updatePullRequestBody(pullNumber: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.update({
      ...this.repoParams,
      pull_number: pullNumber,
      body: fitGitHubText(body),
    });
  }

  async addLabels(issueOrPullNumber: number, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.repoParams, issue_number: issueOrPullNumber, labels });
  }

  async getPullRequest(pullNumber: number): Promise<PullRequestInfo> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.repoParams, pull_number: pullNumber });
    return {
      number: data.number,
      url: data.html_url,
      body: data.body ?? "",
      headRef: data.head.ref,
      headSha: data.head.sha,
    };
  }

  async reviewComments(pullNumber: number, reviewId: number): Promise<ReviewComment[]> {
    const comments = await this.octokit.paginate(this.octokit.rest.pulls.listCommentsForReview, {
      ...this.repoParams,
      pull_number: pullNumber,
      review_id: reviewId,
      per_page: 100,
    });
    return comments.map((comment) => ({
      id: comment.id,
      path: comment.path,
      line: (comment as { line?: number | null }).line ?? undefined,
      diffHunk: comment.diff_hunk,
      body: comment.body,
      author: comment.user?.login ?? "unknown",
    }));
  }

  openReviewThreads(pullNumber: number): Promise<ReviewComment[]> {
    return readOpenReviewThreads(this.octokit, this.repoParams, pullNumber);
  }

  async replyToReviewComment(pullNumber: number, commentId: number, body: string): Promise<void> {
    await this.octokit.rest.pulls.createReplyForReviewComment({
      ...this.repoParams,
      pull_number: pullNumber,
      comment_id: commentId,
      body: fitGitHubText(body),
    });
  }

  async requestReview(pullNumber: number, logins: string[]): Promise<void> {
    await this.octokit.rest.pulls.requestReviewers({
      ...this.repoParams,
      pull_number: pullNumber,
      reviewers: logins,
    });
  }
}
