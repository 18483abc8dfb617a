import type { PlanStep, RunLog } from "../jobs/run-log.ts";

/** Everything the status comment and check run show; one value, rendered two ways. */
export interface JobProgress {
  issueNumber: number;
  triggeredBy: string;
  triggerKind: "label" | "comment" | "check_run" | "review";
  phase: string;
  plan: readonly PlanStep[];
  log: RunLog | undefined;
  pullRequestUrls: string[];
  notes: string[];
  unsandboxed: boolean;
  /** The job's page (its log), or why there is none; absent where pages do not apply (the CLI). */
  logPage?: { url: string } | { off: string } | undefined;
  /** Set once the job is over. */
  final: { conclusion: string; headline: string; detail: string | undefined } | undefined;
}
