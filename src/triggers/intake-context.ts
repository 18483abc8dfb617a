import type { JobInbox } from "../jobs/job-inbox.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { JobStore } from "../jobs/job-store.ts";

/** What the intake stage works with: the shared state (the repository comes as a RepositoryForge). */
export interface TriggerDependencies {
  store: JobStore;
  queue: JobQueue;
  inbox: JobInbox;
}

export interface Log {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
