import { answersPause, type InboxItem } from "./job-inbox.ts";
import { transition, type Job } from "./job.ts";
import { answerKinds } from "./pause-window.ts";
import type { JobQueue } from "./job-queue.ts";
import type { JobStore } from "./job-store.ts";

/** Queues a job that waits for a human again, so a process resumes it (or ends it). */
export async function wake(job: Job, why: string, deps: { store: JobStore; queue: JobQueue }): Promise<void> {
  await deps.store.save(transition(job, "queued", why));
  await deps.queue.enqueue(job.id, job.resumes);
}

/**
 * Wakes the jobs whose wait for an answer has run out; each then ends with a note saying what it
 * asked (see src/pipeline/resume.ts). Run periodically by the webhook receivers.
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

/**
 * After posting `item` to a job that was seen running: if the job has paused since, without
 * finding the item (it parks only when no answer is in its inbox, see parkUnlessAnswered), this
 * item is its answer and wakes it. A job that found the item never paused, so it is not woken twice.
 */
export async function wakeIfPausedSince(
  jobId: string,
  item: InboxItem,
  deps: { store: JobStore; queue: JobQueue },
): Promise<boolean> {
  const job = await deps.store.get(jobId);
  if (job?.state !== "waiting_for_human" || !job.waiting) return false;
  if (!answersPause(item, job.waiting.askedAt, answerKinds(job.waiting.approval !== undefined))) return false;
  await wake(job, `answered by @${item.by} while the job was pausing`, deps);
  return true;
}
