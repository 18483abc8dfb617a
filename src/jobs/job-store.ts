import { issueKey } from "../triggers/trigger.ts";
import { isActive, type Job } from "./job.ts";

/** Where job records live. The in-memory store is the embedded default for a single process. */
export interface JobStore {
  /**
   * Saves a new job unless the same issue already has an active one; returns that one instead.
   * Check-and-insert is one operation so two racing triggers cannot both win.
   */
  createUnlessActive(job: Job): Promise<{ created: true; job: Job } | { created: false; active: Job }>;
  get(id: string): Promise<Job | undefined>;
  save(job: Job): Promise<void>;
}

export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, Job>();

  async createUnlessActive(job: Job) {
    const key = issueKey(job.trigger);
    for (const existing of this.jobs.values()) {
      if (issueKey(existing.trigger) === key && isActive(existing.state)) {
        return { created: false as const, active: existing };
      }
    }
    this.jobs.set(job.id, job);
    return { created: true as const, job };
  }

  async get(id: string) {
    return this.jobs.get(id);
  }

  async save(job: Job) {
    this.jobs.set(job.id, job);
  }
}
