import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { modelForConfig } from "../agent/create-model.ts";
import { CONFIG_PATH } from "../config/agent-config.schema.ts";
import { loadRepoConfig, parseYamlConfig } from "../config/load-repo-config.ts";
import { LocalForge } from "../forge/local-forge.ts";
import { newJob, type Job } from "../jobs/job.ts";
import { MemoryJobStore } from "../jobs/stores/memory-job-store.ts";
import { runJob, type Logger } from "../jobs/run-job.ts";
import { terminalApprovals } from "./terminal-approvals.ts";
import { redactorFromEnv } from "../security/secret-redactor.ts";
import type { Settings } from "../settings.ts";
import { parseIssueArgument } from "./parse-issue-argument.ts";

/**
 * The whole pipeline without GitHub: clone the local repository, run the agent, push the branch
 * back to it, and write the PR description to a file.
 */
export async function runLocal(options: {
  repoPath: string;
  issue: string;
  instructions: string | undefined;
  outputDir: string;
  settings: Settings;
  print: (line: string) => void;
  log: Logger;
}): Promise<{ job: Job; pullRequestFiles: string[] }> {
  const repoPath = path.resolve(options.repoPath);
  const configText = await readFile(path.join(repoPath, CONFIG_PATH), "utf8").catch(() => undefined);
  const loaded = await loadRepoConfig(async () => parseYamlConfig(configText));
  if (!loaded.ok) throw loaded.error;

  const issue = await parseIssueArgument(options.issue);
  const forge = new LocalForge({ repoPath, issue, outputDir: options.outputDir, progress: options.print });
  const store = new MemoryJobStore();
  const job = newJob(
    {
      kind: "comment",
      deliveryId: "local",
      installationId: undefined,
      owner: "local",
      repo: path.basename(repoPath),
      issueNumber: issue.number,
      sender: os.userInfo().username,
      instructions: options.instructions,
      commentId: undefined,
    },
    loaded.config,
  );
  await store.createUnlessActive(job);
  const workspaceRoot = await mkdtemp(path.join(os.tmpdir(), "issue-agent-local-"));
  try {
    const finished = await runJob(job.id, {
      store,
      inbox: store,
      workspaceRoot,
      redactor: redactorFromEnv(),
      modelPrices: options.settings.ISSUE_AGENT_MODEL_PRICES,
      log: options.log,
      forgeFor: async () => forge,
      modelFor: (j) => modelForConfig(j.config, options.settings),
      approvalFor: terminalApprovals(options.print),
    });
    return { job: finished, pullRequestFiles: forge.pullRequestFiles.map((f) => f.path) };
  } finally {
    await rm(workspaceRoot, { recursive: true, force: true });
  }
}
