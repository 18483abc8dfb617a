import type {
  BranchDeletion,
  CheckRunState,
  MergeMethod,
  MergeResult,
  PullRequestState,
  RepositoryForge,
  ReviewCommentState,
  ReviewState,
} from "../../src/forge/repository-forge.ts";

/**
 * The test implementation of RepositoryForge: a repository held in memory. Tests set what the
 * host knows (config, who may write, pull requests, reviews, checks) and read what was written
 * (comments, reactions, status comment edits, merges, deleted branches), as a user would see it.
 */
export class MemoryRepositoryForge implements RepositoryForge {
  /** The raw `.github/agent.yml`; null when the repository has none. */
  config: unknown = null;
  /** Logins with write access. */
  readonly writers = new Set<string>();
  readonly pullRequests = new Map<number, PullRequestState>();
  readonly reviewsOf = new Map<number, ReviewState[]>();
  readonly reviewCommentsOf = new Map<number, ReviewCommentState[]>();
  readonly checkRunsOn = new Map<string, CheckRunState[]>();
  readonly statusComments = new Map<number, string>();
  /** Open pull requests by the branch they build on. */
  readonly buildingOn = new Map<string, number>();
  /** What `merge` answers; a merge happens only when this is `{ merged: true }`. */
  mergeAnswer: MergeResult = { merged: true };

  readonly comments: Array<{ on: number; body: string }> = [];
  readonly acknowledged: number[] = [];
  readonly merges: Array<{ pullNumber: number; sha: string; method: MergeMethod }> = [];
  readonly deletedBranches: string[] = [];
  /** Every host call, in order, by method name. */
  readonly calls: string[] = [];

  async loadConfig(): Promise<unknown> {
    this.calls.push("loadConfig");
    return this.config;
  }

  async hasWriteAccess(login: string): Promise<boolean> {
    this.calls.push("hasWriteAccess");
    return this.writers.has(login);
  }

  async comment(issueOrPullNumber: number, body: string): Promise<void> {
    this.calls.push("comment");
    this.comments.push({ on: issueOrPullNumber, body });
  }

  async acknowledgeComment(commentId: number): Promise<void> {
    this.calls.push("acknowledgeComment");
    this.acknowledged.push(commentId);
  }

  async pullRequest(pullNumber: number): Promise<PullRequestState> {
    this.calls.push("pullRequest");
    const pull = this.pullRequests.get(pullNumber);
    if (!pull) throw Object.assign(new Error(`no pull request #${pullNumber}`), { status: 404 });
    return pull;
  }

  async reviews(pullNumber: number): Promise<ReviewState[]> {
    this.calls.push("reviews");
    return this.reviewsOf.get(pullNumber) ?? [];
  }

  async reviewComments(pullNumber: number): Promise<ReviewCommentState[]> {
    this.calls.push("reviewComments");
    return this.reviewCommentsOf.get(pullNumber) ?? [];
  }

  async checkRuns(ref: string): Promise<CheckRunState[]> {
    this.calls.push("checkRuns");
    return this.checkRunsOn.get(ref) ?? [];
  }

  async checkAnnotations(): Promise<string[]> {
    this.calls.push("checkAnnotations");
    return [];
  }

  async combinedStatus(): Promise<{ state: string; totalCount: number }> {
    this.calls.push("combinedStatus");
    return { state: "pending", totalCount: 0 };
  }

  async merge(pullNumber: number, options: { sha: string; method: MergeMethod }): Promise<MergeResult> {
    this.calls.push("merge");
    if (this.mergeAnswer.merged) this.merges.push({ pullNumber, ...options });
    return this.mergeAnswer;
  }

  async pullRequestBuildingOn(branch: string): Promise<number | undefined> {
    this.calls.push("pullRequestBuildingOn");
    return this.buildingOn.get(branch);
  }

  async deleteBranch(branch: string): Promise<BranchDeletion> {
    this.calls.push("deleteBranch");
    this.deletedBranches.push(branch);
    return { deleted: true };
  }

  async readStatusComment(commentId: number): Promise<string> {
    this.calls.push("readStatusComment");
    return this.statusComments.get(commentId) ?? "";
  }

  async editStatusComment(commentId: number, body: string): Promise<void> {
    this.calls.push("editStatusComment");
    this.statusComments.set(commentId, body);
  }
}
