import { transition, type Job } from "../jobs/job.ts";
import { UNEXPECTED_FAILURE, type Verdict } from "../report/failure-verdict.ts";
import { buildConversation } from "./build-conversation.ts";
import { conclude, failed } from "./conclude.ts";
import { deliver } from "./deliver.ts";
import type { JobDependencies } from "./job-dependencies.ts";
import { JobControl } from "./job-control.ts";
import { openJob, type JobRun } from "./open-job.ts";
import { park, type Parked } from "./park.ts";
import { prepareWorkspace, type WorkspaceHold } from "./prepare-workspace.ts";
import { readIssue } from "./read-issue.ts";
import { resumeFromPause } from "./resume.ts";
import { runAgent } from "./run-agent.ts";

export type { JobDependencies, JobHooks } from "./job-dependencies.ts";

/**
 * One job, start to end. Read this first: each step is a file of this folder.
 *
 *  1. open-job          the record (attempt counted, state "running"), check run and status comment
 *  2. job-control       the inbox, polled: `/agent stop` aborts `control.signal`, which the model
 *                       call, the running command (through the sandbox) and the gates all take
 *  3. read-issue        may it start (attempts, stop)? the check run starts; the issue is read
 *  4. resume            a paused job's answer (question) or decision (approval request)
 *  5. prepare-workspace clone (or restore the paused work), sandbox, setup, the test command
 *  6. build-conversation the prompt: issue, instructions, repository context, limits
 *  7. run-agent         the agent loop inside the guardrails; each step it delivers is gated
 *  8. park | deliver    a question parks the job; otherwise publish, revise, or say why not
 *  9. conclude          verdict, check run completed, workspace removed, record saved
 *
 * This function owns the only catch-all of a job: every failure becomes a conclusion and a message
 * on the check run and the status comment, the check run is always completed, and the workspace
 * is always removed (both in `finally`, through `conclude`).
 */
export async function runJob(jobId: string, deps: JobDependencies): Promise<Job> {
  const opened = await openJob(jobId, deps); // 1
  if (opened.kind === "over") return opened.job;
  const { run } = opened;
  const control = await JobControl.start(run); // 2
  const hold: WorkspaceHold = { workspace: undefined, recyclable: false };
  let ending: { verdict: Verdict; parked?: Parked } = { verdict: UNEXPECTED_FAILURE };
  let answeredWhilePausing: boolean | undefined;
  try {
    ending = await work(run, control, hold);
  } catch (error) {
    ending = { verdict: failed(run, control, error) };
  } finally {
    answeredWhilePausing = await conclude(run, control, { parked: undefined, ...ending, hold }); // 9
  }
  if (answeredWhilePausing) {
    // The same conversation goes on at once, through the resume path, with the answer.
    await deps.store.save(transition(run.job, "queued", "answered while it was pausing"));
    deps.log.info({ jobId }, "answered while pausing; resuming");
    return runJob(jobId, deps);
  }
  deps.log.info(
    { jobId, state: run.job.state, conclusion: ending.verdict.conclusion },
    `job ${run.job.state}`,
  );
  return run.job;
}

/** Steps 3 to 8: from the issue to a verdict, or to a parked question. */
async function work(
  run: JobRun,
  control: JobControl,
  hold: WorkspaceHold,
): Promise<{ verdict: Verdict; parked?: Parked }> {
  const started = await readIssue(run, control); // 3
  if (started.kind === "published") return { verdict: started.verdict };
  const resumed = resumeFromPause(run, control); // 4
  const prepared = await prepareWorkspace(run, control, started, hold); // 5
  const conversation = await buildConversation(run, started, prepared, resumed); // 6
  const agent = await runAgent(run, control, { at: started, prepared, conversation, resumed }); // 7
  const { outcome } = agent;
  if (outcome.kind === "question" || outcome.kind === "approval") {
    return {
      verdict: UNEXPECTED_FAILURE,
      parked: await park(run, prepared.workspace, outcome, agent.messages),
    }; // 8
  }
  const verdict = await deliver(run, {
    at: started,
    workspace: prepared.workspace,
    ended: outcome,
    modelName: agent.modelName,
    unsandboxed: !prepared.sandbox.isolated,
    toolchains: prepared.toolchains,
  }); // 8
  run.job = transition(run.job, "succeeded", verdict.headline);
  return { verdict };
}
