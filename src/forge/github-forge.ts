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
import { fitGitHubText } from "./github-limits.ts";

/** Most comments of an issue passed to the agent; the newest are kept. */
const MAX_ISSUE_COMMENTS = 100;

/** The GitHub App implementation of `Forge`, bound to one issue through an installation client. */
export class GitHubForge implements Forge {
  private statusCommentId: number | undefined;
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

  async getRepository(): Promise<RepositoryInfo> {
    const { data } = await this.octokit.rest.repos.get(this.repoParams);
    const { data: branch } = await this.octokit.rest.repos.getBranch({
      ...this.repoParams,
      branch: data.default_branch,
    });
    return { cloneUrl: data.clone_url, defaultBranch: data.default_branch, baseSha: branch.commit.sha };
  }

  async getIssueThread(): Promise<IssueThread> {
    const { data: issue } = await this.octokit.rest.issues.get({
      ...this.repoParams,
      issue_number: this.issueNumber,
    });
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...this.repoParams,
      issue_number: this.issueNumber,
      per_page: 100,
    });
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

  async gitCredentials(): Promise<GitCredentials> {
    // An installation token (valid for an hour), minted fresh for each job.
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
      output: fitOutput(output),
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
      output: fitOutput(output),
    });
  }

  async completeCheckRun(id: number, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void> {
    await this.octokit.rest.checks.update({
      ...this.repoParams,
      check_run_id: id,
      status: "completed",
      conclusion,
      completed_at: new Date().toISOString(),
      output: fitOutput(output),
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
      output: fitOutput(output),
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

  async openReviewThreads(pullNumber: number): Promise<ReviewComment[]> {
    // Only GraphQL knows whether a thread is resolved.
    const result = await this.octokit.graphql<ReviewThreadsQuery>(REVIEW_THREADS_QUERY, {
      owner: this.repoParams.owner,
      repo: this.repoParams.repo,
      number: pullNumber,
    });
    const threads = result.repository?.pullRequest?.reviewThreads.nodes ?? [];
    return threads.flatMap((thread) => {
      const comments = thread?.comments.nodes?.filter((c) => c !== null) ?? [];
      const first = comments[0];
      const last = comments.at(-1);
      if (!thread || thread.isResolved || thread.isOutdated || !first?.databaseId || !last) return [];
      if (last.author?.__typename === "Bot") return [];
      return [
        {
          id: first.databaseId,
          path: thread.path,
          line: thread.line ?? undefined,
          diffHunk: first.diffHunk,
          body: comments.map((c) => `@${c.author?.login ?? "ghost"}: ${c.body}`).join("\n\n"),
          author: first.author?.login ?? "ghost",
        },
      ];
    });
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

/** GitHub accepts at most 50 annotations per request. */
const MAX_ANNOTATIONS = 50;

function fitOutput(output: CheckRunOutput) {
  return {
    title: output.title.slice(0, 255),
    summary: fitGitHubText(output.summary),
    ...(output.text === undefined ? {} : { text: fitGitHubText(output.text) }),
    ...(output.annotations?.length
      ? {
          annotations: output.annotations.slice(0, MAX_ANNOTATIONS).map((a) => ({
            path: a.path,
            start_line: 1,
            end_line: 1,
            annotation_level: "failure" as const,
            message: a.message.slice(0, 64_000),
          })),
        }
      : {}),
  };
}

const REVIEW_THREADS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100) {
        nodes {
          isResolved
          isOutdated
          path
          line
          comments(first: 50) {
            nodes { databaseId body diffHunk author { __typename login } }
          }
        }
      }
    }
  }
}`;

interface ReviewThreadsQuery {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: Array<{
          isResolved: boolean;
          isOutdated: boolean;
          path: string;
          line: number | null;
          comments: {
            nodes: Array<{
              databaseId: number | null;
              body: string;
              diffHunk: string;
              author: { __typename: string; login: string } | null;
            } | null> | null;
          };
        } | null>;
      };
    } | null;
  } | null;
}
