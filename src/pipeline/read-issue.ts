import { JobCancelled, JobInterrupted } from "../errors.ts";
import type { Forge, GitCredentials, IssueThread, RepositoryInfo, ReviewComment } from "../forge/forge.ts";
import { MAX_ATTEMPTS, transition, type Job } from "../jobs/job.ts";
import type { Verdict } from "../report/failure-verdict.ts";
import { credentialForms } from "../workspace/git-environment.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";

/** The issue and where to work on it, as the job starts. */
export interface IssueAtHand {
  repository: RepositoryInfo;
  issue: IssueThread;
  credentials: GitCredentials | undefined;
  /** Set for a follow-up job on the agent's pull request. */
  revision: Job["trigger"]["revision"];
  /** A review started the job: its comments each get an answer. */
  fromReview: boolean;
  /** A review's inline comments, or for `/agent` on the pull request, the threads still open there. */
  reviewComments: ReviewComment[];
}

export type Started = { kind: "published"; verdict: Verdict } | ({ kind: "start" } & IssueAtHand);

/**
 * Decides whether the job may start (not crashed too often, not stopped already), starts its check
 * run on the base commit and reads the issue. A job interrupted after publishing only finishes its
 * report.
 */
export async function readIssue(run: JobRun, control: JobControl): Promise<Started> {
  const { job, forge, reporter, deps } = run;
  if (job.pullRequestUrls.length > 0) {
    // Interrupted after publishing: the work is out; only the report is left to finish.
    reporter.progress.pullRequestUrls = job.pullRequestUrls;
    run.job = transition(job, "succeeded", "already published before the interruption");
    return {
      kind: "published",
      verdict: {
        conclusion: "success",
        headline: `opened ${job.pullRequestUrls.join(", ")}`,
        detail: undefined,
      },
    };
  }
  if (job.attempts > MAX_ATTEMPTS) {
    throw new JobInterrupted(
      `The app stopped ${job.attempts - 1} times while working on this issue, so the job was not started again.`,
      "Check the app's logs for crashes or memory limits, then comment `/agent` to retry.",
    );
  }
  if (control.stoppedBy) throw new JobCancelled(`@${control.stoppedBy} stopped the job before it started.`);
  if (run.interrupted)
    void reporter.note(
      `The app restarted while this job was running; attempt ${job.attempts} started over from the beginning.`,
    );
  // Read side by side, and the thread before the status comment exists (the reporter shows
  // nothing before its start), so that it is not part of the thread. The check run and the status
  // comment are made while the workspace is prepared, the check run on the default branch's head,
  // which the work does not wait for (the workspace reads its base as it fetches). When the thread
  // or the token cannot be read, they are made all the same, to carry the failure where
  // maintainers look.
  const repositoryRead = forge.getRepository();
  const baseSha = repositoryRead.then((repository) => forge.branchHead(repository.defaultBranch));
  baseSha.catch(() => undefined); // start() says why; unused when the repository cannot be read
  const [repository, issue, credentials] = await Promise.all([
    repositoryRead,
    forge.getIssueThread(),
    forge.gitCredentials(),
  ]).catch(async (error: unknown) => {
    const [read] = await Promise.allSettled([repositoryRead]);
    if (read.status === "fulfilled") void reporter.start(baseSha);
    throw error;
  });
  void reporter.start(baseSha);
  run.trajectory.titled(issue.title);
  deps.redactor.add(...credentialForms(credentials));

  // A follow-up job on the agent's pull request: the review's inline comments are its input.
  // For `/agent <instructions>` on the pull request, the threads still open there are context.
  const revision = job.trigger.revision;
  const reviewComments = await commentsToAddress(revision, forge, (error) =>
    deps.log.warn({ err: error, jobId: job.id }, "could not read the pull request's open review threads"),
  );
  const fromReview = revision?.reviewId !== undefined;
  return { kind: "start", repository, issue, credentials, revision, fromReview, reviewComments };
}

/**
 * What a follow-up job works from besides its instructions: a review's comments, or for `/agent`
 * on the pull request the threads still open there. Those are context only, so failing to read
 * them does not fail the job.
 */
async function commentsToAddress(
  revision: Job["trigger"]["revision"],
  forge: Forge,
  onThreadsUnreadable: (error: unknown) => void,
): Promise<ReviewComment[]> {
  if (!revision || revision.ciAttempt) return [];
  if (revision.reviewId !== undefined) return forge.reviewComments(revision.pullNumber, revision.reviewId);
  return forge.openReviewThreads(revision.pullNumber).catch((error: unknown) => {
    onThreadsUnreadable(error);
    return [];
  });
}
