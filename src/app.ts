import os from "node:os";
import path from "node:path";
import type { ApplicationFunction, ProbotOctokit } from "probot";
import { OpenAIChatModel } from "./agent/openai-model.ts";
import { githubAppIdentity } from "./forge/github-app-identity.ts";
import { GitHubForge } from "./forge/github-forge.ts";
import { InProcessQueue, type JobQueue } from "./jobs/job-queue.ts";
import type { JobStore } from "./jobs/job-store.ts";
import { recoverJobs } from "./jobs/recover-jobs.ts";
import { runJob } from "./jobs/run-job.ts";
import { SqliteState } from "./jobs/stores/sqlite-state.ts";
import { ApprovalDesk } from "./jobs/approval-desk.ts";
import { redactorFromEnv, type SecretRedactor } from "./security/secret-redactor.ts";
import { loadSettings, type Settings } from "./settings.ts";
import type { DeliveryLog } from "./triggers/delivery-log.ts";
import { handleTrigger } from "./triggers/handle-trigger.ts";
import { healthHandler } from "./server/health-handler.ts";

export interface IssueAgent {
  app: ApplicationFunction;
  /** The job store, once Probot has loaded the app. */
  readonly store: JobStore;
  /** Resolves when every queued job has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/** Wires webhook events to handlers and the queue to the job runner. No logic lives here. */
export function createIssueAgent(options: {
  /** Defaults to the environment, read when Probot loads the app (after it has applied `.env`). */
  settings?: Settings;
  store?: JobStore;
  deliveries?: DeliveryLog;
  redactor?: SecretRedactor;
  env?: NodeJS.ProcessEnv;
}): IssueAgent {
  const env = options.env ?? process.env;
  const approvals = new ApprovalDesk();
  let queue: JobQueue | undefined;
  let store: JobStore | undefined = options.store;

  const app: ApplicationFunction = (probot, { addHandler }) => {
    const settings = options.settings ?? loadSettings(env);
    const redactor = options.redactor ?? redactorFromEnv(env);
    const workspaceRoot = settings.ISSUE_AGENT_WORKDIR ?? path.join(os.tmpdir(), "issue-agent");
    const state = options.store && options.deliveries ? undefined : new SqliteState(settings.ISSUE_AGENT_DB);
    const jobs = options.store ?? (state as SqliteState);
    store = jobs;
    const deliveries = options.deliveries ?? (state as SqliteState);
    const identityFor = githubAppIdentity(probot, env.GHE_HOST ?? "github.com");
    queue = new InProcessQueue({
      concurrency: settings.ISSUE_AGENT_CONCURRENCY,
      onError: (jobId, error) => probot.log.error({ err: error, jobId }, "job runner crashed"),
      handler: async (jobId) => {
        await runJob(jobId, {
          store: jobs,
          workspaceRoot,
          redactor,
          log: probot.log.child({ jobId }),
          forgeFor: async (job) => {
            const octokit = (await probot.auth(job.trigger.installationId)) as InstanceType<
              typeof ProbotOctokit
            >;
            return new GitHubForge({
              octokit,
              owner: job.trigger.owner,
              repo: job.trigger.repo,
              issueNumber: job.trigger.issueNumber,
              appIdentity: () => identityFor(octokit),
              statusCommentId: job.report.statusCommentId,
            });
          },
          modelFor: (job) =>
            new OpenAIChatModel({
              model: job.config.agent.model ?? settings.ISSUE_AGENT_MODEL,
              apiKey: settings.OPENAI_API_KEY,
              baseURL: settings.OPENAI_BASE_URL,
            }),
          approvals,
        });
      },
    });
    const deps = { store: jobs, queue, deliveries, approvals };
    probot.on("issues.labeled", (context) => handleTrigger(context, deps));
    probot.on("issue_comment.created", (context) => handleTrigger(context, deps));
    addHandler(healthHandler);
    void recoverJobs(jobs, queue, probot.log);
  };

  return {
    app,
    get store() {
      if (!store) throw new Error("the app is not loaded yet");
      return store;
    },
    idle: () => queue?.idle() ?? Promise.resolve(),
  };
}
