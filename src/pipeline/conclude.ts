import { UserFacingError } from "../errors.ts";
import { transition } from "../jobs/job.ts";
import { failureVerdict, stoppedVerdict, type Verdict } from "../report/failure-verdict.ts";
import { GITHUB_WORDING } from "../report/job-wording.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";
import { holdPause, reportParked, type Parked } from "./park.ts";
import type { WorkspaceHold } from "./prepare-workspace.ts";

/** How a job that threw ends: stopped by someone, refused, or failed; the record moves on. */
export function failed(run: JobRun, control: JobControl, error: unknown): Verdict {
  const { deps, log } = run;
  const verdict = control.stoppedBy
    ? stoppedVerdict(control.stoppedBy, log)
    : failureVerdict(error, deps.redactor, deps.wording ?? GITHUB_WORDING, log);
  if (!control.stoppedBy && !(error instanceof UserFacingError)) {
    deps.log.error({ err: error, jobId: run.job.id }, "job failed unexpectedly");
  }
  run.job = transition(
    run.job,
    verdict.conclusion === "cancelled" ? "cancelled" : "failed",
    verdict.headline,
  );
  return verdict;
}

/**
 * However the job ended: the record gets its usage and gate outcomes, the check run is completed
 * (or, for a parked job, says what it waits for), the workspace is removed, the trajectory closed,
 * and the record saved (or the pause committed). Returns true when an answer came while the job
 * was pausing, so that it must go on at once.
 */
export async function conclude(
  run: JobRun,
  control: JobControl,
  ending: { verdict: Verdict; parked: Parked | undefined; hold: WorkspaceHold },
): Promise<boolean> {
  const { log, reporter } = run;
  const { verdict, parked, hold } = ending;
  control.stopPolling();
  run.job = {
    ...run.job,
    usage: { ...log.usage },
    gateOutcomes: [...log.steps.flatMap((step) => step.gates), ...(log.lastRejectedGates ?? [])].map(
      (gate) => ({
        gate: gate.gate,
        status: gate.status,
      }),
    ),
  };
  if (parked) await reportParked(run, parked);
  else await reporter.finish(verdict.conclusion, verdict.headline, verdict.detail);
  await hold.workspace?.dispose({ recycle: hold.recyclable });
  await run.trajectory.finish(run.job.state, parked ? undefined : verdict);
  if (parked && run.job.waiting) return !(await holdPause(run, control));
  await run.save();
  return false;
}
