import { issueKey } from "../trigger.ts";
import { isActive, type Job } from "../job.ts";
import { answersPause, type InboxItem, type JobInbox } from "../job-inbox.ts";
import type { JobStore } from "../job-store.ts";
import type { Trajectory } from "../../trajectory/trajectory.ts";
import { summaryOf, type TrajectoryStore } from "../../trajectory/trajectory-store.ts";

/** Job records in memory: for the local CLI and tests. Lost when the process ends. */
export class MemoryJobStore implements JobStore, JobInbox, TrajectoryStore {
  private readonly jobs = new Map<string, Job>();
  private readonly trajectories = new Map<string, Trajectory>();
  private readonly inbox = new Map<string, InboxItem[]>();

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

  async parkUnlessAnswered(job: Job, since: string, kinds: ReadonlyArray<InboxItem["kind"]>) {
    if ((this.inbox.get(job.id) ?? []).some((item) => answersPause(item, since, kinds))) return false;
    this.jobs.set(job.id, job);
    return true;
  }

  async listActive() {
    return [...this.jobs.values()].filter((job) => isActive(job.state));
  }

  async latestForIssue(issue: Pick<Job["trigger"], "owner" | "repo" | "issueNumber">) {
    const key = issueKey(issue);
    return [...this.jobs.values()].filter((job) => issueKey(job.trigger) === key).at(-1);
  }

  async post(jobId: string, item: InboxItem) {
    this.inbox.set(jobId, [...(this.inbox.get(jobId) ?? []), item]);
  }

  async saveTrajectory(trajectory: Trajectory) {
    this.trajectories.set(trajectory.jobId, trajectory);
  }

  async getTrajectory(jobId: string) {
    return this.trajectories.get(jobId);
  }

  async recentTrajectories(repository: string, limit: number) {
    return [...this.trajectories.values()]
      .filter((t) => t.repository === repository.toLowerCase())
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, limit)
      .map(summaryOf);
  }

  async pruneTrajectories(before: Date) {
    const old = [...this.trajectories.values()].filter((t) => t.updatedAt < before.toISOString());
    for (const t of old) this.trajectories.delete(t.jobId);
    return old.length;
  }

  async take(jobId: string) {
    const items = this.inbox.get(jobId) ?? [];
    this.inbox.delete(jobId);
    return items;
  }
}
