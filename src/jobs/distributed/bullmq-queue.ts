import { DelayedError, type Job as BullJob, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { withEvent } from "../job.ts";
import type { JobQueue } from "../job-queue.ts";
import type { JobStore } from "../job-store.ts";
import { MAX_ATTEMPTS } from "../job.ts";
import { admit, type AdmissionLimits } from "./admission.ts";
import { loggableRedisError } from "./redis-connection.ts";

const QUEUE_NAME = "jobs";
/** The job event that marks a job held back by an admission limit (recorded once). */
const DELAYED = "delayed by a limit:";

function connection(redisUrl: string) {
  // BullMQ's blocking commands need unlimited retries per request.
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/** The producer side: receivers enqueue job ids; any worker process may take them. */
export class BullJobQueue implements JobQueue {
  private readonly queue: Queue;

  constructor(redisUrl: string, prefix: string) {
    this.queue = new Queue(QUEUE_NAME, { connection: connection(redisUrl), prefix });
  }

  async enqueue(jobId: string, run = 0): Promise<void> {
    // The job id (and run) doubles as BullMQ's, so enqueuing the same run twice is a no-op.
    await this.queue.add(
      "job",
      { jobId },
      {
        jobId: run > 0 ? `${jobId}.run${run}` : jobId,
        removeOnComplete: { count: 1_000 },
        removeOnFail: { count: 1_000 },
      },
    );
  }

  async idle(): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(counts).every((count) => count === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface RunningWorker {
  /** Stops taking jobs; waits up to `graceMs` for running ones, then leaves them to be resumed elsewhere. */
  shutdown(graceMs: number): Promise<void>;
}

interface WorkerOptions {
  redisUrl: string;
  redis: Redis;
  prefix: string;
  concurrency: number;
  lockMs: number;
  limits: Omit<AdmissionLimits, "leaseMs">;
  store: JobStore;
  handler: (jobId: string, signal: AbortSignal) => Promise<void>;
  /** Tells the issue, once per job, that a limit holds it back and when it is tried again. */
  onFirstDelay?: (jobId: string, reason: string, retryAt: Date) => Promise<void>;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

/**
 * A worker process's consumer. A job whose worker dies keeps its lock until `lockMs` passes; then
 * another worker takes it and the job resumes from its safe point. Admission limits are checked
 * before a job starts; a job over a limit is delayed, not failed.
 */
export function startBullWorker(options: WorkerOptions): RunningWorker {
  const controllers = new Set<AbortController>();
  const worker = new Worker(
    QUEUE_NAME,
    (bullJob, token) => runQueuedJob(bullJob, token, options, controllers),
    {
      connection: connection(options.redisUrl),
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
      // A job stalls when its worker dies; it is resumed up to the same limit runJob enforces.
      maxStalledCount: MAX_ATTEMPTS,
    },
  );
  worker.on("failed", (job, error) =>
    options.log.error({ err: error, jobId: job?.data.jobId }, "queued job failed"),
  );
  worker.on("error", (error) =>
    options.log.error({ err: loggableRedisError(error, options.redisUrl) }, "worker error"),
  );

  return {
    async shutdown(graceMs: number) {
      const closing = worker.close();
      const graceOver = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), graceMs).unref(),
      );
      if ((await Promise.race([closing, graceOver])) === "timeout") {
        options.log.warn(
          { running: controllers.size },
          "jobs still running after the grace period; another worker will resume them",
        );
      }
    },
  };
}

/** One queue entry: admitted and run (tracked until it ends, so a shutdown can say what still runs), or delayed by a limit. */
async function runQueuedJob(
  bullJob: BullJob,
  token: string | undefined,
  options: WorkerOptions,
  controllers: Set<AbortController>,
): Promise<void> {
  const jobId = String(bullJob.data.jobId);
  const record = await options.store.get(jobId);
  if (!record) {
    options.log.warn({ jobId }, "queued job has no record; dropping it");
    return;
  }
  const { owner, repo, issueNumber, installationId } = record.trigger;
  const admission = await admit(
    options.redis,
    options.prefix,
    { id: jobId, repository: `${owner}/${repo}`, installationId },
    { ...options.limits, leaseMs: options.lockMs },
  );
  if (!admission.admitted) {
    options.log.info({ jobId, reason: admission.reason }, "job delayed by an admission limit");
    if (!record.events.some((event) => event.message.startsWith(DELAYED))) {
      await options.store.save(withEvent(record, `${DELAYED} ${admission.reason}`));
      await options
        .onFirstDelay?.(jobId, admission.reason, new Date(admission.retryAt))
        .catch((error: unknown) =>
          options.log.warn({ err: error, jobId }, "could not tell the issue that its job is delayed"),
        );
    }
    await bullJob.moveToDelayed(admission.retryAt, token);
    throw new DelayedError();
  }
  const controller = new AbortController();
  controllers.add(controller);
  options.log.info({ jobId, issue: `${owner}/${repo}#${issueNumber}`, pid: process.pid }, "job started");
  try {
    await options.handler(jobId, controller.signal);
  } finally {
    controllers.delete(controller);
    await admission.release();
  }
}
