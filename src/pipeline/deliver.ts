import type { AgentOutcome } from "../agent/tools/tool.ts";
import { describeError } from "../errors.ts";
import { withEvent } from "../jobs/job.ts";
import { publishRevision } from "../publish/publish-revision.ts";
import { publishSteps } from "../publish/publish-steps.ts";
import type { Verdict } from "../report/failure-verdict.ts";
import { publishedVerdict } from "../report/published-verdict.ts";
import { quoteMarkdown } from "../report/quote-markdown.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { JobRun } from "./open-job.ts";
import type { IssueAtHand } from "./read-issue.ts";

export type Ended = Exclude<AgentOutcome, { kind: "question" } | { kind: "approval" }>;
type Finished = Extract<AgentOutcome, { kind: "finished" }>;

/**
 * Delivers what the agent ended with: the gated steps as pull requests, or pushed to the pull
 * request under revision; or, when it gave up or changed nothing, a comment saying why not.
 */
export async function deliver(
  run: JobRun,
  input: {
    at: IssueAtHand;
    workspace: Workspace;
    ended: Ended;
    modelName: string;
    unsandboxed: boolean;
    toolchains?: string;
  },
): Promise<Verdict> {
  const { ended } = input;
  if (ended.kind === "gave_up") {
    const uncommented = await explain(
      run,
      `issue-agent did not open a pull request. The agent gave up:\n\n${quoteMarkdown(ended.reason)}`,
    );
    return {
      conclusion: "neutral",
      headline: "no pull request: the agent gave up",
      detail: `${ended.reason}${uncommented}`,
    };
  }
  if (run.log.steps.length === 0) {
    const uncommented = await explain(
      run,
      `issue-agent did not open a pull request: the agent changed no files.\n\n${quoteMarkdown(ended.summary)}`,
    );
    return {
      conclusion: "neutral",
      headline: "no pull request: the agent changed no files",
      detail: `The agent finished without changing any file. Its summary:\n\n${quoteMarkdown(ended.summary)}${uncommented}`,
    };
  }
  return input.at.revision ? revise(run, input, ended) : publish(run, input, ended);
}

/**
 * Says on the issue why there is no pull request. GitHub may refuse (a locked issue): the reason
 * then stays in the verdict, with a line saying the comment could not be posted.
 */
async function explain(run: JobRun, body: string): Promise<string> {
  try {
    await run.forge.comment(body);
    return "";
  } catch (error) {
    run.deps.log.warn({ jobId: run.job.id, err: error }, "could not comment on the issue");
    return `\n\n(This could not be posted on the issue: ${describeError(error)})`;
  }
}

/** A follow-up job pushes its steps to the pull request it revises and answers its review. */
async function revise(
  run: JobRun,
  input: { at: IssueAtHand; workspace: Workspace },
  finished: Finished,
): Promise<Verdict> {
  const { job, deps } = run;
  const revision = input.at.revision!;
  await run.reporter.phase(`Pushing the revision to #${revision.pullNumber}`);
  const pushed = await publishRevision({
    forge: run.forge,
    workspace: input.workspace,
    log: run.log,
    pullNumber: revision.pullNumber,
    reason: revision.ciAttempt
      ? `to fix CI (attempt ${revision.ciAttempt})`
      : `for @${job.trigger.sender}'s review`,
    comments: input.at.reviewComments,
    // A review's comments each get an answer; open threads only where the agent gave one.
    answerEvery: input.at.fromReview,
    summary: finished.summary,
    replies: finished.reviewReplies ?? [],
    redact: (text) => deps.redactor.redact(text),
  });
  // The record as it is now, not as it was before publishing: the reporter may have added the
  // check run's and status comment's ids meanwhile (see ProgressReporter.start).
  run.job = {
    ...withEvent(run.job, `pushed ${pushed.commits} commit(s) to #${revision.pullNumber}`),
    pullRequestUrls: [pushed.url],
  };
  run.reporter.progress.pullRequestUrls = [pushed.url];
  return {
    conclusion: "success",
    headline: `revised #${revision.pullNumber}: ${pushed.commits} commit(s) pushed`,
    detail: finished.summary,
  };
}

/** Each delivered step becomes one pull request, stacked on the one before. */
async function publish(
  run: JobRun,
  input: {
    at: IssueAtHand;
    workspace: Workspace;
    modelName: string;
    unsandboxed: boolean;
    toolchains?: string;
  },
  finished: Finished,
): Promise<Verdict> {
  const { job, deps, reporter } = run;
  await reporter.phase("Publishing the pull request");
  const published = await publishSteps({
    forge: run.forge,
    workspace: input.workspace,
    log: run.log,
    reviewer: job.trigger.sender,
    redact: (text) => deps.redactor.redact(text),
    onNote: (note) => reporter.note(note),
    content: {
      issueNumber: input.at.issue.number,
      summary: finished.summary,
      rationale: finished.rationale,
      triggeredBy: job.trigger.sender,
      maintainerInstructions: job.trigger.instructions || undefined,
      log: run.log,
      model: input.modelName,
      unsandboxed: input.unsandboxed,
      toolchains: input.toolchains,
    },
  });
  const urls = published.map((p) => p.pull.url);
  reporter.progress.pullRequestUrls = urls;
  // The record as it is now (see revise).
  run.job = { ...withEvent(run.job, `opened ${urls.join(", ")}`), pullRequestUrls: urls };
  return publishedVerdict(published, finished.summary);
}
