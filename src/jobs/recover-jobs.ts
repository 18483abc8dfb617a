import { isRunnable } from "./job.ts";
import type { JobQueue } from "./job-queue.ts";
import type { JobStore } from "./job-store.ts";

/**
 * After a restart, nothing is lost silently: queued jobs are queued again, and jobs that were
 * running when the process died are run again from their safe point (see src/pipeline/open-job.ts).
 */
export async function recoverJobs(
  store: JobStore,
  queue: JobQueue,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
): Promise<number> {
  try {
    const active = (await store.listActive()).filter((job) => isRunnable(job.state));
    for (const job of active) await queue.enqueue(job.id, job.resumes);
    if (active.length > 0) {
      log.info(
        { jobs: active.map((job) => `${job.id} (${job.state})`) },
        `recovered ${active.length} job(s) after a restart`,
      );
    }
    return active.length;
  } catch (error) {
    log.error({ err: error }, "could not recover jobs after a restart");
    return 0;
  }
}
