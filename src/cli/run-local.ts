import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { modelForConfig } from "../agent/create-model.ts";
import { defaultTools } from "../agent/tools/default-tools.ts";
import type { CheckConclusion, CheckRunOutput } from "../forge/forge.ts";
import { LocalForge } from "../forge/local-forge.ts";
import { newJob, type Job } from "../jobs/job.ts";
import { MemoryJobStore } from "../jobs/stores/memory-job-store.ts";
import type { Logger } from "../log.ts";
import { runJob } from "../pipeline/run-job.ts";
import { redactorFromEnv } from "../security/secret-redactor.ts";
import type { LocalRunInput } from "./prepare-local-run.ts";
import { terminalApprovals } from "./terminal-approvals.ts";
import { terminalTools } from "./terminal-tools.ts";
import { TERMINAL_WORDING } from "./terminal-wording.ts";
import { renderJobPage } from "../web/render-job-page.ts";

export interface LocalRunResult {
  job: Job;
  /** How the job ended, as its check run would say; absent when it never got that far. */
  result: { conclusion: CheckConclusion; output: CheckRunOutput } | undefined;
  /** The PR descriptions written, each with the branch pushed to the repository for it. */
  pullRequestFiles: Array<{ path: string; branch: string }>;
  /** The job's page (its whole log) as a self-contained HTML file, as the app would serve it. */
  logFile?: string | undefined;
}

/**
 * The whole pipeline without GitHub: clone the local repository, run the agent, push the branch
 * back to it, and write the PR description to a file. The workspace is removed however it ends,
 * also when `signal` stops the job.
 */
export async function runLocal(options: {
  input: LocalRunInput;
  instructions: string | undefined;
  outputDir: string;
  print: (line: string) => void;
  log: Logger;
  signal: AbortSignal;
}): Promise<LocalRunResult> {
  const { repoPath, issue, config, settings } = options.input;
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
    config,
  );
  await store.createUnlessActive(job);
  const workspaceRoot = await mkdtemp(path.join(os.tmpdir(), "issue-agent-local-"));
  try {
    const finished = await runJob(job.id, {
      store,
      inbox: store,
      trajectories: store,
      workspaceRoot,
      redactor: redactorFromEnv(),
      modelPrices: settings.ISSUE_AGENT_MODEL_PRICES,
      log: options.log,
      forgeFor: async () => forge,
      modelFor: (j) => modelForConfig(j.config, settings),
      approvalFor: terminalApprovals(options.print),
      tools: terminalTools(defaultTools, options.print),
      wording: TERMINAL_WORDING,
      signal: options.signal,
    });
    const trajectory = await store.getTrajectory(job.id);
    const logFile = trajectory && path.join(options.outputDir, `issue-agent-log-${issue.number}.html`);
    if (trajectory && logFile) {
      await writeFile(logFile, renderJobPage(trajectory, randomBytes(16).toString("base64"), { file: true }));
    }
    return {
      job: finished,
      logFile,
      result: forge.result,
      pullRequestFiles: forge.pullRequestFiles.map(({ path: file, branch }) => ({ path: file, branch })),
    };
  } finally {
    await rm(workspaceRoot, { recursive: true, force: true });
  }
}
