/**
 * Hands job ids to workers. The in-process queue is the default; a distributed one (BullMQ on
 * Redis) implements the same interface.
 */
export interface JobQueue {
  /**
   * Queues a job unless it is already queued or running. `run` tells a job queued again after a
   * pause (its `resumes`) from its earlier, finished queue entry.
   */
  enqueue(jobId: string, run?: number): Promise<void>;
  /** Resolves once every job enqueued so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type JobHandler = (jobId: string) => Promise<void>;

export class InProcessQueue implements JobQueue {
  private readonly waiting: string[] = [];
  private running = 0;
  private readonly active = new Set<string>();
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly handler: JobHandler;
  private readonly onError: (jobId: string, error: unknown) => void;

  constructor(options: {
    concurrency: number;
    handler: JobHandler;
    onError: (jobId: string, error: unknown) => void;
  }) {
    this.concurrency = options.concurrency;
    this.handler = options.handler;
    this.onError = options.onError;
  }

  async enqueue(jobId: string): Promise<void> {
    if (this.closed) throw new Error("queue is closed");
    if (this.waiting.includes(jobId) || this.active.has(jobId)) return;
    this.waiting.push(jobId);
    this.pump();
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const jobId = this.waiting.shift() as string;
      this.running += 1;
      this.active.add(jobId);
      // The handler owns its errors; this catch only guards the queue against a bug in it.
      void this.handler(jobId)
        .catch((error: unknown) => this.onError(jobId, error))
        .finally(() => {
          this.running -= 1;
          this.active.delete(jobId);
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }
}
