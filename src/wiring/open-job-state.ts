import { pacedGit } from "../git.ts";
import type { AnswerFirst } from "../server/answer-first.ts";
import type { Probot } from "probot";
import { connectRedis, redisSecrets } from "../jobs/distributed/redis-connection.ts";
import { BullJobQueue } from "../jobs/distributed/bullmq-queue.ts";
import { githubJobHandler } from "../server/github-job-handler.ts";
import type { JobInbox } from "../jobs/job-inbox.ts";
import { InProcessQueue, type JobQueue } from "../jobs/job-queue.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { recoverJobs } from "../jobs/recover-jobs.ts";
import type { JobHooks } from "../pipeline/run-job.ts";
import { RedisState } from "../jobs/stores/redis-state.ts";
import { SqliteState } from "../jobs/stores/sqlite-state.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { Metrics } from "../server/metrics.ts";
import type { Settings } from "../settings.ts";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";
import type { DeliveryLog } from "../triggers/delivery-log.ts";

/** Where a receiving process keeps jobs, webhook deliveries and job logs, and how it runs jobs. */
export interface JobState {
  store: JobStore;
  inbox: JobInbox;
  queue: JobQueue;
  deliveries: DeliveryLog;
  trajectories: TrajectoryStore;
  metrics: Metrics;
  /** What /readyz answers (besides shutting down). */
  ready(): Promise<boolean>;
  /** Drops old jobs' logs (Redis expires them itself). */
  pruneLogs(): void;
  /** Lets another process take the state over after this one stops. */
  release(): void;
}

/** Scale-out: this process only receives webhooks; `npm run worker` processes run the jobs. */
export function openRedisState(
  redisUrl: string,
  settings: Settings,
  probot: Probot,
  redactor: SecretRedactor,
): JobState {
  redactor.add(...redisSecrets(redisUrl));
  const redis = connectRedis(redisUrl, probot.log);
  const state = new RedisState(
    redis,
    settings.ISSUE_AGENT_REDIS_PREFIX,
    settings.ISSUE_AGENT_LOG_RETENTION_DAYS,
  );
  return {
    store: state,
    inbox: state,
    queue: new BullJobQueue(redisUrl, settings.ISSUE_AGENT_REDIS_PREFIX),
    deliveries: state,
    trajectories: state,
    metrics: new Metrics(state, { defaultModel: settings.ISSUE_AGENT_MODEL }),
    ready: async () => (await redis.ping()) === "PONG",
    pruneLogs: () => undefined,
    release: () => undefined,
  };
}

/** How long one job's git processes may wait for webhooks to pause, in all (see pacedGit). */
const JOB_PACING_BUDGET_MS = 5_000;

/**
 * One process does everything: a SQLite file holds the state and the jobs run here. Jobs a
 * stopped process left are queued again; a job left queued while shutting down runs after the restart.
 */
export function openSqliteState(options: {
  settings: Settings;
  probot: Probot;
  redactor: SecretRedactor;
  env: NodeJS.ProcessEnv;
  hooks: JobHooks | undefined;
  shuttingDown: () => boolean;
  /** Jobs, and their git processes, start only while no webhook is arriving, so they do not delay the answers. */
  answerFirst: AnswerFirst;
}): JobState {
  const { settings, probot } = options;
  const jobs = new SqliteState(settings.ISSUE_AGENT_DB);
  // A second process on the same file would take the same webhooks and jobs: it refuses to start.
  jobs.claimOwnership(undefined, undefined, undefined, () =>
    probot.log.error({ file: settings.ISSUE_AGENT_DB }, "another process has taken over the job database"),
  );
  const metrics = new Metrics(jobs, { defaultModel: settings.ISSUE_AGENT_MODEL });
  const handler = githubJobHandler({
    probot,
    settings,
    store: jobs,
    inbox: jobs,
    redactor: options.redactor,
    env: options.env,
    observeModel: (model) => metrics.observeModel(model),
    hooks: options.hooks,
    trajectories: jobs,
  });
  const queue = new InProcessQueue({
    concurrency: settings.ISSUE_AGENT_CONCURRENCY,
    onError: (jobId, error) => probot.log.error({ err: error, jobId }, "job runner crashed"),
    handler: async (jobId) => {
      if (options.shuttingDown()) return; // left queued; it runs after the restart
      await options.answerFirst.turn();
      // The turn may come seconds later, after a shutdown began: the job still waits for the restart.
      if (options.shuttingDown()) return;
      // Its git processes, too, start between webhooks (see pacedGit), for a few seconds' wait at most.
      const pace = options.answerFirst.pace({ budgetMs: JOB_PACING_BUDGET_MS, stop: options.shuttingDown });
      metrics.observeJob(await pacedGit(pace, () => handler(jobId)));
    },
  });
  void recoverJobs(jobs, queue, probot.log);
  const retentionMs = settings.ISSUE_AGENT_LOG_RETENTION_DAYS * 86_400_000;
  const state: JobState = {
    store: jobs,
    inbox: jobs,
    queue,
    deliveries: jobs,
    trajectories: jobs,
    metrics,
    ready: async () => (await jobs.listActive()) !== undefined,
    pruneLogs: () =>
      void jobs
        .pruneTrajectories(new Date(Date.now() - retentionMs))
        .catch((error: unknown) => probot.log.warn({ err: error }, "could not prune old job logs")),
    release: () => jobs.releaseOwnership(),
  };
  // Old jobs' logs go at each start and with the housekeeping (see startIntake).
  state.pruneLogs();
  return state;
}
