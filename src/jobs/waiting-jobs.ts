import { transition, type Job } from "./job.ts";
import type { JobQueue } from "./job-queue.ts";
import type { JobStore } from "./job-store.ts";

/** Queues a job that waits for a human again, so a process resumes it (or ends it). */
export async function wake(job: Job, why: string, deps: { store: JobStore; queue: JobQueue }): Promise<void> {
  await deps.store.save(transition(job, "queued", why));
  await deps.queue.enqueue(job.id, job.resumes);
}

/**
 * Wakes the jobs whose wait for an answer has run out; each then ends with a note saying what it
 * asked (see runJob). Run periodically by the webhook receivers.
 */
export async function wakeExpiredWaits(
  deps: { store: JobStore; queue: JobQueue },
  now: Date = new Date(),
): Promise<Job[]> {
  const expired = (await deps.store.listActive()).filter(
    (job) =>
      job.state === "waiting_for_human" && job.waiting !== undefined && new Date(job.waiting.deadline) <= now,
  );
  for (const job of expired) await wake(job, "no answer before the deadline", deps);
  return expired;
}
