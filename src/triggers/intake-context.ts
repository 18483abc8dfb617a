import type { Octokit } from "../forge/octokit.ts";
import type { JobInbox } from "../jobs/job-inbox.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { JobStore } from "../jobs/job-store.ts";

/** What the intake stage works with: the shared state, and GitHub as the installation sees it. */
export interface TriggerDependencies {
  store: JobStore;
  queue: JobQueue;
  inbox: JobInbox;
}

/** The installation's view of GitHub this stage needs: its Octokit and the repository's config. */
export interface InstallationGitHub {
  octokit: Octokit;
  /** The raw `.github/agent.yml` from the default branch; null when there is none. */
  loadConfig(): Promise<unknown>;
}

export interface Log {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}
