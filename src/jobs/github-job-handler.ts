import os from "node:os";
import path from "node:path";
import type { Probot, ProbotOctokit } from "probot";
import { modelForConfig } from "../agent/create-model.ts";
import { githubAppIdentity } from "../forge/github-app-identity.ts";
import { GitHubForge } from "../forge/github-forge.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { setupEnvironment, type Settings } from "../settings.ts";
import type { JobInbox } from "./job-inbox.ts";
import type { Job } from "./job.ts";
import type { JobStore } from "./job-store.ts";
import { RepositoryCache } from "../workspace/repository-cache.ts";
import { runJob } from "./run-job.ts";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";

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
  /** Where each job's trajectory is kept for its page. */
  trajectories?: TrajectoryStore;
}): (jobId: string, signal?: AbortSignal) => Promise<Job> {
  const { probot, settings } = options;
  const identityFor = githubAppIdentity(probot, options.env.GHE_HOST ?? "github.com");
  const workspaceRoot = settings.ISSUE_AGENT_WORKDIR ?? path.join(os.tmpdir(), "issue-agent");
  const repositoryCache = new RepositoryCache(
    settings.ISSUE_AGENT_CACHE_DIR ?? path.join(workspaceRoot, "cache"),
    settings.ISSUE_AGENT_CACHE_MAX_MB * 1024 * 1024,
  );
  const forSetup = setupEnvironment(settings, options.env);
  // A proxy URL may carry a password: such a URL and its credentials are redacted everywhere.
  for (const value of Object.values(forSetup)) {
    const userinfo = /:\/\/([^@/\s]+)@/.exec(value)?.[1];
    if (userinfo) options.redactor.add(value, userinfo);
  }
  return (jobId, signal) =>
    runJob(jobId, {
      store: options.store,
      setupEnvironment: forSetup,
      workspaceRoot,
      repositoryCache,
      redactor: options.redactor,
      inbox: options.inbox,
      ...(options.trajectories ? { trajectories: options.trajectories } : {}),
      log: probot.log.child({ jobId }),
      ...(signal ? { signal } : {}),
      forgeFor: async (job) => {
        const octokit = (await probot.auth(job.trigger.installationId)) as InstanceType<typeof ProbotOctokit>;
        return new GitHubForge({
          octokit,
          owner: job.trigger.owner,
          repo: job.trigger.repo,
          issueNumber: job.trigger.issueNumber,
          appIdentity: () => identityFor(octokit),
          statusCommentId: job.report.statusCommentId,
          jobId: job.id,
        });
      },
      modelFor: (job) => modelForConfig(job.config, settings),
    });
}
