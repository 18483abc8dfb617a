import { connectRedis, redisSecrets } from "./jobs/distributed/redis-connection.ts";
import type { ApplicationFunction, ProbotOctokit } from "probot";
import { fetchRepoConfig } from "./config/fetch-repo-config.ts";
import { BullJobQueue } from "./jobs/distributed/bullmq-queue.ts";
import { githubJobHandler } from "./jobs/github-job-handler.ts";
import { InProcessQueue, type JobQueue } from "./jobs/job-queue.ts";
import type { JobStore } from "./jobs/job-store.ts";
import { recoverJobs } from "./jobs/recover-jobs.ts";
import type { JobHooks } from "./jobs/run-job.ts";
import { wakeExpiredWaits } from "./jobs/waiting-jobs.ts";
import { RedisState } from "./jobs/stores/redis-state.ts";
import { SqliteState } from "./jobs/stores/sqlite-state.ts";
import { redactorFromEnv, type SecretRedactor } from "./security/secret-redactor.ts";
import { loadSettings, type Settings } from "./settings.ts";
import type { DeliveryLog } from "./triggers/delivery-log.ts";
import { handleTrigger, type TriggerDependencies } from "./triggers/handle-trigger.ts";
import { Intake } from "./triggers/intake.ts";
import { receiveWebhook } from "./triggers/receive-webhook.ts";
import { AnswerFirst } from "./server/answer-first.ts";
import { operationsHandler } from "./server/health-handler.ts";
import type { TrajectoryStore } from "./trajectory/trajectory-store.ts";
import { jobPageConfig, jobPageHandler } from "./web/job-page-handler.ts";
import { Metrics } from "./server/metrics.ts";
import { startMetricsServer } from "./server/metrics-server.ts";

/**
 * How long an unsettled webhook request may stay with the receiver that accepted it before another
 * receiver takes it over (scale-out only; one process takes over everything at its start). Also
 * how often expired waits for a human are looked for.
 */
const INTAKE_TAKEOVER_MS = 60_000;

export interface IssueAgent {
  app: ApplicationFunction;
  /** The job store, once Probot has loaded the app. */
  readonly store: JobStore;
  /** Resolves when every received webhook is handled and every queued job has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Resolves when every webhook received so far is handled: replied to, or its job queued. */
  webhooksHandled(): Promise<void>;
  /**
   * Graceful shutdown: /readyz says no, no new job starts, running ones get `graceMs` to finish;
   * what is still running then resumes from its safe point after the restart.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Wires webhook events to handlers and the queue to the job runner. No logic lives here. */
export function createIssueAgent(options: {
  /** Defaults to the environment, read when Probot loads the app (after it has applied `.env`). */
  settings?: Settings;
  redactor?: SecretRedactor;
  env?: NodeJS.ProcessEnv;
  /** Test seams in the jobs this process runs (see JobHooks). */
  hooks?: JobHooks;
}): IssueAgent {
  const env = options.env ?? process.env;
  let queue: JobQueue | undefined;
  let intake: Intake | undefined;
  let housekeepingTimer: NodeJS.Timeout | undefined;
  let store: JobStore | undefined;
  let shuttingDown = false;
  let metricsServer: { close(): Promise<void> } | undefined;
  let releaseStore: (() => void) | undefined;
  let ready: () => Promise<boolean> = async () => false;

  const app: ApplicationFunction = (probot, { addHandler }) => {
    const settings = options.settings ?? loadSettings(env);
    const redactor = options.redactor ?? redactorFromEnv(env);
    // The intake's GitHub calls, and jobs starting in this process, wait while webhooks are
    // arriving, so they do not delay the answers.
    const answerFirst = new AnswerFirst();
    let deps: TriggerDependencies;
    let deliveries: DeliveryLog;
    let metrics: Metrics;
    let trajectories: TrajectoryStore;
    let pruneLogs = () => undefined as void;
    if (settings.REDIS_URL) {
      // Scale-out: this process only receives webhooks; `npm run worker` processes run the jobs.
      redactor.add(...redisSecrets(settings.REDIS_URL));
      const redis = connectRedis(settings.REDIS_URL, probot.log);
      const state = new RedisState(
        redis,
        settings.ISSUE_AGENT_REDIS_PREFIX,
        settings.ISSUE_AGENT_LOG_RETENTION_DAYS,
      );
      store = state;
      trajectories = state;
      queue = new BullJobQueue(settings.REDIS_URL, settings.ISSUE_AGENT_REDIS_PREFIX);
      deps = { store: state, queue, inbox: state };
      deliveries = state;
      metrics = new Metrics(state, { defaultModel: settings.ISSUE_AGENT_MODEL });
      ready = async () => !shuttingDown && (await redis.ping()) === "PONG";
    } else {
      const jobs = new SqliteState(settings.ISSUE_AGENT_DB);
      // A second process on the same file would take the same webhooks and jobs: it refuses to start.
      jobs.claimOwnership(undefined, undefined, undefined, () =>
        probot.log.error(
          { file: settings.ISSUE_AGENT_DB },
          "another process has taken over the job database",
        ),
      );
      releaseStore = () => jobs.releaseOwnership();
      store = jobs;
      const jobMetrics = new Metrics(jobs, { defaultModel: settings.ISSUE_AGENT_MODEL });
      metrics = jobMetrics;
      trajectories = jobs;
      const handler = githubJobHandler({
        probot,
        settings,
        store: jobs,
        inbox: jobs,
        redactor,
        env,
        observeModel: (model) => jobMetrics.observeModel(model),
        hooks: options.hooks,
        trajectories: jobs,
      });
      queue = new InProcessQueue({
        concurrency: settings.ISSUE_AGENT_CONCURRENCY,
        onError: (jobId, error) => probot.log.error({ err: error, jobId }, "job runner crashed"),
        handler: async (jobId) => {
          if (shuttingDown) return; // left queued; it runs after the restart
          await answerFirst.turn();
          jobMetrics.observeJob(await handler(jobId));
        },
      });
      ready = async () => !shuttingDown && (await jobs.listActive()) !== undefined;
      deps = { store: jobs, queue, inbox: jobs };
      deliveries = jobs;
      void recoverJobs(jobs, queue, probot.log);
      // Old jobs' logs go at each start and with the housekeeping below (Redis expires them itself).
      pruneLogs = () =>
        void jobs
          .pruneTrajectories(new Date(Date.now() - settings.ISSUE_AGENT_LOG_RETENTION_DAYS * 86_400_000))
          .catch((error: unknown) => probot.log.warn({ err: error }, "could not prune old job logs"));
      pruneLogs();
    }
    const triggerDeps = deps;
    const stage = new Intake({
      deliveries,
      log: probot.log,
      handle: async (request) => {
        await answerFirst.turn();
        const octokit = (await probot.auth(request.trigger.installationId)) as InstanceType<
          typeof ProbotOctokit
        >;
        const repo = { owner: request.trigger.owner, repo: request.trigger.repo };
        const github = { octokit, loadConfig: () => fetchRepoConfig(octokit, repo) };
        await handleTrigger(
          request,
          github,
          triggerDeps,
          probot.log.child({ delivery: request.trigger.deliveryId }),
        );
      },
    });
    intake = stage;
    // Jobs whose question went unanswered too long are woken to end with a note.
    const wakeExpired = () =>
      void wakeExpiredWaits(triggerDeps).catch((error: unknown) =>
        probot.log.warn({ err: error }, "could not check for expired waits"),
      );
    if (settings.REDIS_URL) {
      const takeOver = () => void stage.recover(new Date(Date.now() - INTAKE_TAKEOVER_MS));
      takeOver();
      housekeepingTimer = setInterval(() => {
        takeOver();
        wakeExpired();
      }, INTAKE_TAKEOVER_MS).unref();
    } else {
      void stage.recover(new Date());
      housekeepingTimer = setInterval(() => {
        wakeExpired();
        pruneLogs();
      }, INTAKE_TAKEOVER_MS).unref();
    }
    const timed = async (event: string, handle: () => Promise<void>) => {
      const started = performance.now();
      try {
        await handle();
      } finally {
        metrics.observeWebhook(event, (performance.now() - started) / 1_000);
      }
    };
    for (const event of [
      "issues.labeled",
      "issue_comment.created",
      "check_run.rerequested",
      "check_run.requested_action",
      "pull_request_review.submitted",
      "pull_request.closed",
      "check_suite.completed",
    ] as const) {
      probot.on(event, (context) =>
        timed(event, () => {
          answerFirst.arrived();
          return receiveWebhook(
            context,
            { deliveries, intake: stage },
            context.log.child({ delivery: context.id, event: context.name }),
          );
        }),
      );
    }
    if (settings.ISSUE_AGENT_METRICS_PORT !== undefined) {
      metricsServer = startMetricsServer({
        port: settings.ISSUE_AGENT_METRICS_PORT,
        host: env.HOST ?? "0.0.0.0",
        metrics,
        onError: (error) => probot.log.warn({ err: error }, "metrics endpoint unavailable"),
      });
    }
    addHandler(
      operationsHandler({
        ready: () => ready(),
        metrics: settings.ISSUE_AGENT_METRICS_PORT === undefined ? metrics : undefined,
      }),
    );
    const pages = jobPageConfig(env, settings.ISSUE_AGENT_PUBLIC_URL);
    if (pages) addHandler(jobPageHandler({ config: pages, store: trajectories }));
  };

  async function idle(): Promise<void> {
    // A handled request may enqueue a job, and a job's end never submits a request: one round
    // settles it; the loop only guards against a webhook arriving in between.
    do {
      await intake?.idle();
      await queue?.idle();
    } while (intake?.busy);
  }

  return {
    app,
    get store() {
      if (!store) throw new Error("the app is not loaded yet");
      return store;
    },
    idle,
    webhooksHandled: () => intake?.idle() ?? Promise.resolve(),
    async shutdown(graceMs: number) {
      shuttingDown = true;
      clearInterval(housekeepingTimer);
      const drained = idle();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      await metricsServer?.close();
      releaseStore?.();
    },
  };
}
