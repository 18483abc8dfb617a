import type { ApprovalSource } from "../agent/approval.ts";
import type { Model } from "../agent/model.ts";
import type { ModelPrice } from "../agent/pricing.ts";
import type { Tool } from "../agent/tools/tool.ts";
import type { Forge } from "../forge/forge.ts";
import type { JobInbox } from "../jobs/job-inbox.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Job } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import type { JobWording } from "../report/job-wording.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";
import type { RepositoryCache } from "../workspace/repository-cache.ts";

/** What a job runs against: the GitHub app and the local CLI each wire these (see runJob). */
export interface JobDependencies {
  store: JobStore;
  forgeFor(job: Job): Promise<Forge>;
  /** May throw a ConfigError (no endpoint configured), which fails the job visibly. */
  modelFor(job: Job): Model;
  /** Decides approval requests at once (a local run's terminal); on GitHub the job pauses to ask. */
  approvalFor?: ApprovalSource;
  /** Stop requests and maintainers' messages for the job, from whichever process received them. */
  inbox: JobInbox;
  workspaceRoot: string;
  /** Variables of the app's environment that setup commands get (ISSUE_AGENT_SETUP_ENV). */
  setupEnvironment?: Readonly<Record<string, string>>;
  /** Prices of models the built-in table does not know (ISSUE_AGENT_MODEL_PRICES). */
  modelPrices?: Readonly<Record<string, ModelPrice>>;
  /** Per-repository mirrors that make the second job's start fast; none means a plain clone. */
  repositoryCache?: RepositoryCache;
  /** Where provisioned toolchains (Node.js versions) are kept; default: the user's cache. */
  toolchainDir?: string;
  redactor: SecretRedactor;
  /** The job's page, linked from the status comment and check run, or why it is off. */
  logPage?: (job: Job) => { url: string } | { off: string };
  /** Where the job's trajectory (its log page) is kept; none records nothing. */
  trajectories?: TrajectoryStore;
  log: Logger;
  tools?: readonly Tool[];
  /** Aborts the job (stop command, shutdown). */
  signal?: AbortSignal;
  /** How the report tells its reader what to do next; GitHub's words unless given. */
  wording?: JobWording;
  /** Test seams: called at points where a race can happen, to hold the job there. */
  hooks?: JobHooks;
}

export interface JobHooks {
  /** The question (or approval request) is on the issue; the job has not paused yet. */
  pausing?: (jobId: string) => Promise<void>;
}
