import type { ApplicationFunction } from "probot";
import { githubRepositories } from "./forge/github-repository-forge.ts";
import type { JobQueue } from "./jobs/job-queue.ts";
import type { JobStore } from "./jobs/job-store.ts";
import type { JobHooks } from "./pipeline/run-job.ts";
import { redactorFromEnv, type SecretRedactor } from "./security/secret-redactor.ts";
import { loadSettings, type Settings } from "./settings.ts";
import type { Intake } from "./triggers/intake.ts";
import { openRedisState, openSqliteState } from "./wiring/open-job-state.ts";
import { AnswerFirst } from "./server/answer-first.ts";
import { routeWebhooks } from "./wiring/route-webhooks.ts";
import { serveOperations } from "./wiring/serve-operations.ts";
import { startIntake } from "./wiring/start-intake.ts";

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

  const app: ApplicationFunction = (probot, { addHandler }) => {
    const settings = options.settings ?? loadSettings(env);
    const redactor = options.redactor ?? redactorFromEnv(env);
    // The intake's GitHub calls, and jobs starting in this process, wait while webhooks are
    // arriving, so they do not delay the answers.
    const answerFirst = new AnswerFirst();
    const state = settings.REDIS_URL
      ? openRedisState(settings.REDIS_URL, settings, probot, redactor)
      : openSqliteState({
          settings,
          probot,
          redactor,
          env,
          hooks: options.hooks,
          shuttingDown: () => shuttingDown,
          answerFirst,
        });
    ({ store, queue } = state);
    releaseStore = () => state.release();
    const started = startIntake({
      state,
      repositoryFor: githubRepositories(probot, redactor),
      scaleOut: settings.REDIS_URL !== undefined,
      log: probot.log,
      answerFirst,
    });
    ({ intake, housekeeping: housekeepingTimer } = started);
    const { deliveries, metrics } = state;
    addHandler(routeWebhooks(probot, { deliveries, metrics, intake: started.intake, answerFirst, env }));
    metricsServer = serveOperations({
      addHandler,
      probot,
      settings,
      env,
      state,
      shuttingDown: () => shuttingDown,
    });
  };

  const idle = () => settle(intake, queue);

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

async function settle(intake: Intake | undefined, queue: JobQueue | undefined): Promise<void> {
  // A handled request may enqueue a job, and a job's end never submits a request: one round
  // settles it; the loop only guards against a webhook arriving in between.
  do {
    await intake?.idle();
    await queue?.idle();
  } while (intake?.busy);
}
