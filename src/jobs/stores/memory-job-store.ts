import { issueKey } from "../../triggers/trigger.ts";
import { isActive, type Job } from "../job.ts";
import type { JobStore } from "../job-store.ts";

/** Job records in memory: for the local CLI and tests. Lost when the process ends. */
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

  async listActive() {
    return [...this.jobs.values()].filter((job) => isActive(job.state));
  }
}
