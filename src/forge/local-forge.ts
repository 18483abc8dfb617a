import { writeFile } from "node:fs/promises";
import path from "node:path";
import { openGit } from "../git.ts";
import type {
  CheckConclusion,
  CheckRunOutput,
  Forge,
  IssueThread,
  PullRequestDraft,
  PullRequestRef,
  RepositoryInfo,
} from "./forge.ts";

/**
 * The forge for `issue-agent run`: a local clone is the "remote", the issue comes from a file or
 * text, progress goes to a stream, and the pull request becomes a Markdown file.
 */
export class LocalForge implements Forge {
  private readonly repoPath: string;
  private readonly issue: IssueThread;
  private readonly outputDir: string;
  private readonly progress: (line: string) => void;
  /** The PR descriptions written, in order (one per delivered step), with the branch each is for. */
  readonly pullRequestFiles: Array<{ path: string; title: string; branch: string }> = [];
  /** How the job ended, as its check run would say; set once, at the end. */
  result: { conclusion: CheckConclusion; output: CheckRunOutput } | undefined;
  private lastPhase: string | undefined;

  constructor(options: {
    repoPath: string;
    issue: IssueThread;
    outputDir: string;
    progress: (line: string) => void;
  }) {
    this.repoPath = path.resolve(options.repoPath);
    this.issue = options.issue;
    this.outputDir = options.outputDir;
    this.progress = options.progress;
  }

  async getRepository(): Promise<RepositoryInfo> {
    const git = openGit(this.repoPath, process.env);
    const defaultBranch = await git.revparse(["--abbrev-ref", "HEAD"]);
    return { cloneUrl: this.repoPath, defaultBranch };
  }

  async branchHead(branch: string): Promise<string> {
    return openGit(this.repoPath, process.env).revparse([`refs/heads/${branch}`]);
  }

  async getIssueThread(): Promise<IssueThread> {
    return this.issue;
  }

  async gitCredentials() {
    return undefined;
  }

  async commitAuthor() {
    return { name: "issue-agent", email: "issue-agent@localhost" };
  }

  /**
   * The status comment is rewritten on every change (plan, notes, usage); the terminal shows only
   * its "Now:" line, once per new phase. The final state is shown from `result` instead.
   */
  async setStatusComment(body: string): Promise<number> {
    const now = body
      .split("\n")
      .find((line) => line.startsWith("**Now:**"))
      ?.replace("**Now:**", "")
      .trim();
    if (now && now !== this.lastPhase) this.progress(now);
    this.lastPhase = now ?? this.lastPhase;
    return 1;
  }

  // What a comment would say (the agent gave up, changed nothing) is also the job's result.
  async comment(): Promise<void> {}

  async createCheckRun(_headSha: string, _output: CheckRunOutput): Promise<number> {
    return 1;
  }

  async updateCheckRun(): Promise<void> {}

  async completeCheckRun(_id: number, conclusion: CheckConclusion, output: CheckRunOutput): Promise<void> {
    this.result = { conclusion, output };
  }

  async reportCheckOn(): Promise<void> {}

  async openPullRequest(draft: PullRequestDraft): Promise<PullRequestRef> {
    const file = path.join(this.outputDir, `${draft.head.replace(/[^\w.-]+/g, "-")}.md`);
    await writeFile(file, `# ${draft.title}\n\n${draft.body}\n`);
    this.pullRequestFiles.push({ path: file, title: draft.title, branch: draft.head });
    return { number: this.pullRequestFiles.length, url: file };
  }

  async updatePullRequestBody(pullNumber: number, body: string): Promise<void> {
    const file = this.pullRequestFiles[pullNumber - 1];
    if (file) await writeFile(file.path, `# ${file.title}\n\n${body}\n`);
  }

  async addLabels(): Promise<void> {}

  async requestReview(): Promise<void> {}

  // Review iteration needs a code host; the local CLI only starts from an issue.
  async getPullRequest(): Promise<never> {
    throw new Error("pull requests are not available in a local run");
  }

  async reviewComments(): Promise<never> {
    throw new Error("pull requests are not available in a local run");
  }

  async openReviewThreads(): Promise<never> {
    throw new Error("pull requests are not available in a local run");
  }

  async replyToReviewComment(): Promise<never> {
    throw new Error("pull requests are not available in a local run");
  }
}
