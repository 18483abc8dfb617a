import type { Octokit } from "../forge/octokit.ts";
import os from "node:os";
import path from "node:path";
import type { Probot } from "probot";
import { modelForConfig } from "../agent/create-model.ts";
import type { Model } from "../agent/model.ts";
import { githubAppIdentity } from "../forge/github-app-identity.ts";
import { GitHubForge } from "../forge/github-forge.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { setupEnvironment, type Settings } from "../settings.ts";
import type { JobInbox } from "../jobs/job-inbox.ts";
import type { Job } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import { RepositoryCache } from "../workspace/repository-cache.ts";
import { runJob, type JobHooks } from "../pipeline/run-job.ts";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";
import { jobPageConfig, jobPageUrl } from "../web/job-page-handler.ts";

const PAGE_OFF =
  "The job's page is off. To turn it on, set `ISSUE_AGENT_PUBLIC_URL` and the App's OAuth credentials (`GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`) and set the App's callback URL to `<ISSUE_AGENT_PUBLIC_URL>/auth/callback`.";

/**
 * Runs a job by id against GitHub: the same wiring in the single-process app and in `npm run
 * worker`. The installation's Octokit comes from the Probot instance (token minted per job).
 */
export function githubJobHandler(options: {
  probot: Probot;
  settings: Settings;
  store: JobStore;
  inbox: JobInbox;
  redactor: SecretRedactor;
  env: NodeJS.ProcessEnv;
  /** Wraps each job's model, e.g. to time its calls for the metrics. */
  observeModel?: (model: Model) => Model;
  hooks?: JobHooks | undefined;
  /** Where each job's trajectory is kept for its page. */
  trajectories?: TrajectoryStore;
}): (jobId: string, signal?: AbortSignal) => Promise<Job> {
  const { probot, settings } = options;
  const identityFor = githubAppIdentity(probot, options.env.GHE_HOST ?? "github.com");
  const workspaceRoot = settings.ISSUE_AGENT_WORKDIR ?? path.join(os.tmpdir(), "issue-agent");
  const cacheRoot = settings.ISSUE_AGENT_CACHE_DIR ?? path.join(workspaceRoot, "cache");
  const repositoryCache = new RepositoryCache(cacheRoot, settings.ISSUE_AGENT_CACHE_MAX_MB * 1024 * 1024);
  const forSetup = setupEnvironment(settings, options.env);
  // A proxy URL may carry a password: such a URL and its credentials are redacted everywhere.
  for (const value of Object.values(forSetup)) {
    const userinfo = /:\/\/([^@/\s]+)@/.exec(value)?.[1];
    if (userinfo) options.redactor.add(value, userinfo);
  }
  const pages = jobPageConfig(options.env, settings.ISSUE_AGENT_PUBLIC_URL);
  const logPage = (job: Job) => (pages ? { url: jobPageUrl(pages, job.id) } : { off: PAGE_OFF });
  return (jobId, signal) =>
    runJob(jobId, {
      store: options.store,
      setupEnvironment: forSetup,
      modelPrices: settings.ISSUE_AGENT_MODEL_PRICES,
      workspaceRoot,
      repositoryCache,
      toolchainDir: settings.ISSUE_AGENT_TOOLCHAIN_DIR ?? path.join(cacheRoot, "toolchains"),
      redactor: options.redactor,
      inbox: options.inbox,
      ...(options.trajectories ? { trajectories: options.trajectories, logPage } : {}),
      log: probot.log.child({ jobId }),
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(signal ? { signal } : {}),
      forgeFor: async (job) => {
        const octokit = (await probot.auth(job.trigger.installationId)) as Octokit;
        return new GitHubForge({
          octokit,
          owner: job.trigger.owner,
          repo: job.trigger.repo,
          issueNumber: job.trigger.issueNumber,
          appIdentity: () => identityFor(octokit),
          statusCommentId: job.report.statusCommentId,
          jobId: job.id,
          detailsUrl: pages && options.trajectories ? jobPageUrl(pages, job.id) : undefined,
        });
      },
      modelFor: (job) => {
        const model = modelForConfig(job.config, settings);
        return options.observeModel ? options.observeModel(model) : model;
      },
    });
}
