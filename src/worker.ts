import http from "node:http";
import { pino } from "pino";
import { createProbot } from "probot";
import { UserFacingError, ConfigError } from "./errors.ts";
import { githubRepositories } from "./forge/github-repository-forge.ts";
import { connectRedis, redisSecrets } from "./jobs/distributed/redis-connection.ts";
import { loadDotEnv } from "./load-env.ts";
import { startBullWorker } from "./jobs/distributed/bullmq-queue.ts";
import { githubJobHandler } from "./server/github-job-handler.ts";
import { RedisState } from "./jobs/stores/redis-state.ts";
import { redactorFromEnv } from "./security/secret-redactor.ts";
import { operationsHandler } from "./server/health-handler.ts";
import { delayNotice } from "./report/render-delay-notice.ts";
import { Metrics } from "./server/metrics.ts";
import { checkPrivateKeyPath } from "./server/private-key-path.ts";
import { probeGitHub } from "./server/probe-github.ts";
import { loadSettings, withoutProbotRedis } from "./settings.ts";

// `npm run worker`: takes jobs from the Redis queue and runs them. Run any number of these, each
// with its own ISSUE_AGENT_CONCURRENCY; `npm start` processes receive the webhooks.
try {
  loadDotEnv();
  checkPrivateKeyPath(process.env);
  const settings = loadSettings();
  if (!settings.REDIS_URL) {
    throw new ConfigError(
      "`npm run worker` needs REDIS_URL.",
      "Set REDIS_URL for the webhook receivers and the workers, or run `npm start` alone, which then runs jobs itself.",
    );
  }
  // Probot sets up its own logger asynchronously; the worker needs one at once.
  const log = pino({ level: process.env.LOG_LEVEL ?? "info", name: "issue-agent-worker" });
  // Probot would also read REDIS_URL and cluster its GitHub request throttling through Bottleneck on
  // Redis, which hangs write requests with ioredis 5; each process throttles its own requests.
  const probot = createProbot({ env: withoutProbotRedis(process.env), overrides: { log } });
  void probeGitHub(probot, process.env.GHE_HOST || "api.github.com").then(({ level, message }) =>
    log[level](message),
  );
  const redis = connectRedis(settings.REDIS_URL, log);
  const prefix = settings.ISSUE_AGENT_REDIS_PREFIX;
  const redactor = redactorFromEnv();
  redactor.add(...redisSecrets(settings.REDIS_URL));
  const store = new RedisState(redis, prefix, settings.ISSUE_AGENT_LOG_RETENTION_DAYS);
  const metrics = new Metrics(store, { defaultModel: settings.ISSUE_AGENT_MODEL });
  const repositoryFor = githubRepositories(probot, redactor);
  const handler = githubJobHandler({
    probot,
    settings,
    store,
    inbox: store,
    redactor: redactor,
    env: process.env,
    observeModel: (model) => metrics.observeModel(model),
    trajectories: store,
  });
  const worker = startBullWorker({
    redisUrl: settings.REDIS_URL,
    redis,
    prefix,
    concurrency: settings.ISSUE_AGENT_CONCURRENCY,
    lockMs: settings.ISSUE_AGENT_LOCK_SECONDS * 1_000,
    limits: {
      repositoryConcurrency: settings.ISSUE_AGENT_REPO_CONCURRENCY,
      installationJobsPerHour: settings.ISSUE_AGENT_INSTALLATION_JOBS_PER_HOUR,
    },
    store,
    handler: async (jobId, signal) => metrics.observeJob(await handler(jobId, signal)),
    onFirstDelay: async (jobId, reason, retryAt) => {
      const job = await store.get(jobId);
      if (!job) return;
      const repository = await repositoryFor(job.trigger);
      await repository.comment(job.trigger.issueNumber, delayNotice(reason, retryAt));
    },
    log,
  });
  // Workers have no webhook server; they serve health, readiness and their job metrics here.
  const port = settings.ISSUE_AGENT_WORKER_PORT;
  let stopping = false;
  const ops = operationsHandler({ ready: async () => !stopping && (await redis.ping()) === "PONG", metrics });
  http
    .createServer((req, res) => void ops(req, res).then((handled) => handled || res.writeHead(404).end()))
    .listen(port, process.env.HOST ?? "0.0.0.0")
    .on("error", (error) => log.warn({ err: error, port }, "worker operations endpoint unavailable"));
  log.info({ pid: process.pid, concurrency: settings.ISSUE_AGENT_CONCURRENCY }, "issue-agent worker ready");
  const stop = async (signal: string) => {
    stopping = true;
    log.info({ signal }, "stopping: no new jobs; waiting for running ones");
    await worker.shutdown(settings.ISSUE_AGENT_SHUTDOWN_GRACE_SECONDS * 1_000);
    redis.disconnect();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  const message =
    error instanceof UserFacingError
      ? `${error.message}${error.hint ? `\n${error.hint}` : ""}`
      : String(error);
  console.error(`issue-agent worker cannot start: ${message}`);
  process.exit(1);
}
