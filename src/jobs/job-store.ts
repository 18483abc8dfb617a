import type { InboxItem } from "./job-inbox.ts";
import type { Job } from "./job.ts";

/**
 * Where job records live. SQLite (node:sqlite) is the embedded default; Redis is used when the app
 * runs as several processes; memory serves the local CLI and tests.
 */
export interface JobStore {
  /**
   * Saves a new job unless the same issue already has an active one; returns that one instead.
   * Check-and-insert is one atomic operation so two racing triggers cannot both win.
   */
  createUnlessActive(job: Job): Promise<{ created: true; job: Job } | { created: false; active: Job }>;
  get(id: string): Promise<Job | undefined>;
  save(job: Job): Promise<void>;
  /**
   * Saves a job that pauses for a human (`waiting_for_human`) unless its inbox already holds an
   * answer: an item of one of `kinds` posted at or after `since` (when the question was asked).
   * One atomic step with the inbox, so an answer that arrived while the job was pausing is never
   * left unseen: it is either found here (false: the job goes on), or posted after the pause was
   * saved, and then whoever posted it wakes the job. Every store is also the jobs' inbox.
   */
  parkUnlessAnswered(job: Job, since: string, kinds: ReadonlyArray<InboxItem["kind"]>): Promise<boolean>;
  /** Jobs queued, running or waiting for a human: for recovery after a restart and for metrics. */
  listActive(): Promise<Job[]>;
  /** The issue's most recent job (the active one, if any), for `/agent status` and `/agent retry`. */
  latestForIssue(issue: Pick<Job["trigger"], "owner" | "repo" | "issueNumber">): Promise<Job | undefined>;
}
