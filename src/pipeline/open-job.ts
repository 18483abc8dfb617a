import { describeError } from "../errors.ts";
import type { Forge } from "../forge/forge.ts";
import { transition, withEvent, type Job, type WaitingForHuman } from "../jobs/job.ts";
import { RunLog, type RunLogData } from "../jobs/run-log.ts";
import { ProgressReporter } from "../report/progress-reporter.ts";
import { TrajectoryRecorder } from "../trajectory/trajectory-recorder.ts";
import type { JobDependencies } from "./job-dependencies.ts";
import { redactingForge } from "./redacting-forge.ts";

/** One run of a job, as every step sees it: its record, where it reports, and what it has done. */
export interface JobRun {
  /** The record as it stands; steps replace it as the job moves on. */
  job: Job;
  readonly deps: JobDependencies;
  /** The job's forge, redacting every text it sends. */
  readonly forge: Forge;
  readonly log: RunLog;
  readonly reporter: ProgressReporter;
  readonly trajectory: TrajectoryRecorder;
  /** Found "running": its process died, and this run starts it over. */
  readonly interrupted: boolean;
  /** The snapshot of a job that paused for a question or an approval, resumed by this run. */
  readonly paused: WaitingForHuman | undefined;
  /** Applies an update to the record and saves it in the background. */
  saveProgress(update: (current: Job) => Job): void;
  /** Saves the record now. */
  save(): Promise<void>;
}

export type Opened = { kind: "over"; job: Job } | { kind: "open"; run: JobRun };

/**
 * Opens a job for a run: counts the attempt, marks it running, and opens its reporting (the
 * check run and status comment, reused after an interruption) and its trajectory. A job that is
 * over, or whose forge cannot be reached, is "over": there is nothing to run or report on.
 */
export async function openJob(jobId: string, deps: JobDependencies): Promise<Opened> {
  const loaded = await deps.store.get(jobId);
  if (!loaded) throw new Error(`job ${jobId} not found`);
  if (loaded.state !== "queued" && loaded.state !== "running") return { kind: "over", job: loaded };
  // A job found "running" was interrupted: its process died. Its safe point is the start (nothing
  // is pushed before the agent finishes), so it runs again, reusing its check run and comment.
  const interrupted = loaded.state === "running";
  // A queued job with a snapshot paused for a question: it goes on where it stopped.
  const paused = interrupted ? undefined : loaded.waiting;
  let job: Job = interrupted
    ? withEvent(loaded, `resuming after an interruption (attempt ${loaded.attempts + 1})`)
    : transition(loaded, "running", paused ? "resumed after its question" : "started");
  // The snapshot is used once: should this run be interrupted, the job starts over from scratch.
  job = { ...job, waiting: undefined, pausing: undefined };
  job = { ...job, attempts: job.attempts + 1, startedAt: job.startedAt ?? new Date().toISOString() };
  await deps.store.save(job);

  let baseForge: Forge;
  try {
    baseForge = await deps.forgeFor(job);
  } catch (error) {
    // Without a forge nothing can be reported on GitHub; the record and the log say why.
    deps.log.error({ err: error, jobId }, "could not authenticate for the job");
    job = transition(job, "failed", `could not authenticate: ${deps.redactor.redact(describeError(error))}`);
    await deps.store.save(job);
    return { kind: "over", job };
  }
  const run = await openRun(job, deps, redactingForge(baseForge, deps.redactor), { interrupted, paused });
  return { kind: "open", run };
}

async function openRun(
  opened: Job,
  deps: JobDependencies,
  forge: Forge,
  from: { interrupted: boolean; paused: WaitingForHuman | undefined },
): Promise<JobRun> {
  const { paused } = from;
  const log = paused ? RunLog.fromData(paused.runLog as RunLogData) : new RunLog();
  const holder = { job: opened };
  const saveProgress = (update: (current: Job) => Job) => {
    holder.job = update(holder.job);
    // A pausing job's record is written once, by the pause itself (see commitPause): saved here,
    // it would look paused to the intake before the pause has checked for an answer.
    if (holder.job.state === "waiting_for_human") return;
    void deps.store
      .save(holder.job)
      .catch((error: unknown) =>
        deps.log.warn({ err: error, jobId: opened.id }, "could not save job progress"),
      );
  };
  const reporter = new ProgressReporter(
    forge,
    {
      issueNumber: opened.trigger.issueNumber,
      triggeredBy: opened.trigger.sender,
      triggerKind: opened.trigger.kind,
      phase: "Reading the issue and preparing a workspace",
      plan: [],
      log: undefined,
      pullRequestUrls: [],
      // A resumed job keeps the notes of the runs before its pause (approvals, messages, …).
      notes: [...(paused?.notes ?? [])],
      unsandboxed: false,
      final: undefined,
      logPage: deps.logPage?.(opened),
    },
    deps.log,
    {
      existingCheckRunId: opened.report.checkRunId,
      onIds: (ids) => saveProgress((current) => ({ ...current, report: { ...current.report, ...ids } })),
    },
  );
  log.onChange(() => {
    reporter.progress.plan = log.plan;
    saveProgress((current) => ({ ...current, plan: log.plan }));
    void reporter.refresh();
  });
  const trajectory = await TrajectoryRecorder.open({
    job: opened,
    store: deps.trajectories,
    redactor: deps.redactor,
    log,
    notes: reporter.progress.notes,
    logger: deps.log,
  });
  return {
    get job() {
      return holder.job;
    },
    set job(job: Job) {
      holder.job = job;
    },
    deps,
    forge,
    log,
    reporter,
    trajectory,
    ...from,
    saveProgress,
    save: () => deps.store.save(holder.job),
  };
}
