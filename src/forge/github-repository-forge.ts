import type { Probot } from "probot";
import type { Octokit } from "./octokit.ts";
import { fetchRepoConfig } from "../config/fetch-repo-config.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { fitGitHubText } from "./github-limits.ts";
import { redactingRepositoryForge } from "./redacting-repository-forge.ts";
import type {
  BranchDeletion,
  CheckRunState,
  MergeMethod,
  MergeResult,
  PullRequestState,
  RepositoryForge,
  ReviewCommentState,
  ReviewState,
} from "./repository-forge.ts";
import { hasWriteAccess } from "./write-access.ts";

/**
 * The repositories the app is installed on, each as a redacting `RepositoryForge` with the
 * installation's client (a token minted per request by Probot).
 */
export function githubRepositories(
  probot: Pick<Probot, "auth">,
  redactor: SecretRedactor,
): (target: { installationId: number | undefined; owner: string; repo: string }) => Promise<RepositoryForge> {
  return async ({ installationId, owner, repo }) => {
    const octokit = (await probot.auth(installationId)) as Octokit;
    return redactingRepositoryForge(new GitHubRepositoryForge({ octokit, owner, repo }), redactor);
  };
}

/** The GitHub App implementation of `RepositoryForge`, bound to one repository. */
export class GitHubRepositoryForge implements RepositoryForge {
  private readonly octokit: Octokit;
  private readonly repo: { owner: string; repo: string };

  constructor(options: { octokit: Octokit; owner: string; repo: string }) {
    this.octokit = options.octokit;
    this.repo = { owner: options.owner, repo: options.repo };
  }

  loadConfig(): Promise<unknown> {
    return fetchRepoConfig(this.octokit, this.repo);
  }

  hasWriteAccess(login: string): Promise<boolean> {
    return hasWriteAccess(this.octokit, this.repo, login);
  }

  async comment(issueOrPullNumber: number, body: string): Promise<void> {
    await this.octokit.rest.issues.createComment({
      ...this.repo,
      issue_number: issueOrPullNumber,
      body: fitGitHubText(body),
    });
  }

  async acknowledgeComment(commentId: number): Promise<void> {
    await this.octokit.rest.reactions.createForIssueComment({
      ...this.repo,
      comment_id: commentId,
      content: "eyes",
    });
  }

  async pullRequest(pullNumber: number): Promise<PullRequestState> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.repo, pull_number: pullNumber });
    // Only the fork check needs `base`; an answer without it is read as "not from this repository".
    const base = (data.base as typeof data.base | undefined)?.repo.full_name;
    return {
      number: data.number,
      state: data.state,
      draft: data.draft ?? false,
      merged: data.merged,
      headRef: data.head.ref,
      headSha: data.head.sha,
      fromThisRepository: base !== undefined && data.head.repo?.full_name === base,
    };
  }

  async reviews(pullNumber: number): Promise<ReviewState[]> {
    const reviews = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, {
      ...this.repo,
      pull_number: pullNumber,
      per_page: 100,
    });
    return reviews.map((review) => ({
      author: review.user?.login ?? "",
      authorIsBot: review.user?.type === "Bot",
      state: review.state,
      commitId: review.commit_id ?? "",
    }));
  }

  async reviewComments(pullNumber: number, reviewId: number): Promise<ReviewCommentState[]> {
    const { data } = await this.octokit.rest.pulls.listCommentsForReview({
      ...this.repo,
      pull_number: pullNumber,
      review_id: reviewId,
      per_page: 100,
    });
    return data.map((comment) => ({ body: comment.body, isReply: comment.in_reply_to_id !== undefined }));
  }

  async checkRuns(ref: string): Promise<CheckRunState[]> {
    const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
      ...this.repo,
      ref,
      per_page: 100,
    });
    return runs.map((run) => {
      // The merge decision needs no output; an answer without it reads as an empty one.
      const output = run.output as Partial<typeof run.output> | undefined;
      return {
        id: run.id,
        name: run.name,
        status: run.status,
        conclusion: run.conclusion,
        title: output?.title ?? "",
        summary: output?.summary ?? "",
        text: output?.text ?? "",
        annotationsCount: output?.annotations_count ?? 0,
      };
    });
  }

  async checkAnnotations(checkRunId: number, limit: number): Promise<string[]> {
    const { data } = await this.octokit.rest.checks.listAnnotations({
      ...this.repo,
      check_run_id: checkRunId,
      per_page: limit,
    });
    return data.map((a) => `${a.path}:${a.start_line} ${a.message ?? ""}`.trim());
  }

  async combinedStatus(ref: string): Promise<{ state: string; totalCount: number }> {
    const { data } = await this.octokit.rest.repos.getCombinedStatusForRef({ ...this.repo, ref });
    return { state: data.state, totalCount: data.total_count };
  }

  async merge(pullNumber: number, options: { sha: string; method: MergeMethod }): Promise<MergeResult> {
    return this.octokit.rest.pulls
      .merge({ ...this.repo, pull_number: pullNumber, sha: options.sha, merge_method: options.method })
      .then(
        () => ({ merged: true }) as const,
        (error: { status?: number; message?: string }) => {
          // GitHub's "no" is the people's to act on; anything else (GitHub down) is thrown so the
          // request is retried.
          if (error.status === 405 || error.status === 409 || error.status === 422) {
            return { merged: false, refusal: error.message ?? `HTTP ${error.status}` } as const;
          }
          throw error;
        },
      );
  }

  async pullRequestBuildingOn(branch: string): Promise<number | undefined> {
    const { data } = await this.octokit.rest.pulls.list({
      ...this.repo,
      base: branch,
      state: "open",
      per_page: 1,
    });
    return data[0]?.number;
  }

  async deleteBranch(branch: string): Promise<BranchDeletion> {
    return this.octokit.rest.git.deleteRef({ ...this.repo, ref: `heads/${branch}` }).then(
      () => ({ deleted: true }) as const,
      (error: { status?: number }) =>
        ({
          deleted: false,
          reason: error.status === 422 ? "protected or already gone" : "could not delete it",
          error,
        }) as const,
    );
  }

  async readStatusComment(commentId: number): Promise<string> {
    const { data } = await this.octokit.rest.issues.getComment({ ...this.repo, comment_id: commentId });
    return data.body ?? "";
  }

  async editStatusComment(commentId: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({
      ...this.repo,
      comment_id: commentId,
      body: fitGitHubText(body),
    });
  }
}
