import { realpath } from "node:fs/promises";
import { runAgentLoop } from "../agent/agent-loop.ts";
import type { Model } from "../agent/model.ts";
import { buildInitialMessages } from "../agent/prompt/build-messages.ts";
import { RunLog } from "../agent/run-log.ts";
import { defaultTools } from "../agent/tools/default-tools.ts";
import type { AgentOutcome, Tool } from "../agent/tools/tool.ts";
import { describeError, PublishError, UserFacingError } from "../errors.ts";
import type { CheckConclusion, Forge } from "../forge/forge.ts";
import { renderCommitMessage, renderPullRequestBody } from "../publish/render-pull-request.ts";
import { ProgressReporter } from "../report/progress-reporter.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { branchName } from "../workspace/branch-name.ts";
import { commitAndPush, summarizeChanges } from "../workspace/commit-and-push.ts";
import { credentialForms } from "../workspace/git-environment.ts";
import { createWorkspace, type Workspace } from "../workspace/workspace.ts";
import { transition, withEvent, type Job } from "./job.ts";
import type { JobStore } from "./job-store.ts";

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobDependencies {
  store: JobStore;
  forgeFor(job: Job): Promise<Forge>;
  /** May throw a ConfigError (no endpoint configured), which fails the job visibly. */
  modelFor(job: Job): Model;
  sandboxFor(workspace: Workspace): Sandbox;
  workspaceRoot: string;
  redactor: SecretRedactor;
  log: Logger;
  tools?: readonly Tool[];
  /** Aborts the job (stop command, shutdown). */
  signal?: AbortSignal;
}

interface Verdict {
  conclusion: CheckConclusion;
  headline: string;
  detail: string | undefined;
}

/**
 * One job, start to end: 1. read the issue, 2. prepare a workspace, 3. run the agent,
 * 4. publish a pull request, 5. report. This function owns the only catch-all of a job: every
 * failure becomes a conclusion and a message on the check run and the status comment, the check
 * run is always completed, and the workspace is always removed.
 */
export async function runJob(jobId: string, deps: JobDependencies): Promise<Job> {
  const loaded = await deps.store.get(jobId);
  if (!loaded) throw new Error(`job ${jobId} not found`);
  let job = transition(loaded, "running", "started");
  await deps.store.save(job);

  let baseForge: Forge;
  try {
    baseForge = await deps.forgeFor(job);
  } catch (error) {
    // Without a forge nothing can be reported on GitHub; the record and the log say why.
    deps.log.error({ err: error, jobId }, "could not authenticate for the job");
    job = transition(job, "failed", `could not authenticate: ${deps.redactor.redact(describeError(error))}`);
    await deps.store.save(job);
    return job;
  }
  const forge = redactingForge(baseForge, deps.redactor);
  const log = new RunLog();
  const reporter = new ProgressReporter(
    forge,
    {
      issueNumber: job.trigger.issueNumber,
      triggeredBy: job.trigger.sender,
      triggerKind: job.trigger.kind,
      phase: "Reading the issue and preparing a workspace",
      plan: [],
      log: undefined,
      pullRequestUrl: undefined,
      notes: [],
      final: undefined,
    },
    deps.log,
  );
  log.onPlanChange((plan) => {
    reporter.progress.plan = plan;
    void reporter.refresh();
  });

  let workspace: Workspace | undefined;
  let verdict: Verdict = { conclusion: "failure", headline: "failed unexpectedly", detail: undefined };
  try {
    // 1. The issue and where to work.
    const repository = await forge.getRepository();
    await reporter.start(repository.baseSha);
    const issue = await forge.getIssueThread();
    const credentials = await forge.gitCredentials();
    deps.redactor.add(...credentialForms(credentials));

    // 2. A fresh clone on a new branch.
    workspace = await createWorkspace({
      root: deps.workspaceRoot,
      cloneUrl: repository.cloneUrl,
      baseBranch: repository.defaultBranch,
      branch: branchName(issue.number, issue.title),
      credentials,
      redact: (text) => deps.redactor.redact(text),
    });
    job = withEvent(job, `workspace ready on branch ${workspace.branch} at ${workspace.baseSha}`);
    await deps.store.save(job);

    // 3. The agent.
    const model = deps.modelFor(job);
    const { config } = job;
    const prompt = buildInitialMessages({
      issue,
      maintainerInstructions: job.trigger.instructions || undefined,
      maintainer: job.trigger.sender,
      limits: {
        maxSteps: config.agent.max_steps,
        maxMinutes: config.agent.max_minutes,
        commandTimeoutSeconds: config.commands.timeout_seconds,
      },
    });
    if (prompt.truncationNote) await reporter.note(prompt.truncationNote);
    reporter.progress.log = log;
    await reporter.phase("The agent is working");
    const startedAt = Date.now();
    const maxMs = config.agent.max_minutes * 60_000;
    const outcome: AgentOutcome = await runAgentLoop({
      model,
      tools: deps.tools ?? defaultTools,
      messages: prompt.messages,
      limits: {
        maxSteps: config.agent.max_steps,
        maxMs,
        maxTokens: config.agent.max_tokens,
        maxConsecutiveFormatErrors: 3,
      },
      context: {
        workspace: await realpath(workspace.dir),
        sandbox: deps.sandboxFor(workspace),
        config,
        log,
        redact: (text) => deps.redactor.redact(text),
        remainingMs: () => maxMs - (Date.now() - startedAt),
        signal: deps.signal,
      },
      startedAt,
      onStep: (step) => {
        if (step % 5 === 0) void reporter.phase(`The agent is working (turn ${step})`);
      },
    });

    // 4. Publish, or explain why not.
    if (outcome.kind === "gave_up") {
      verdict = {
        conclusion: "neutral",
        headline: "no pull request: the agent gave up",
        detail: outcome.reason,
      };
      await forge.comment(
        `issue-agent did not open a pull request. The agent gave up:\n\n${quote(outcome.reason)}`,
      );
    } else {
      const changes = await summarizeChanges(workspace);
      if (changes.files.length === 0) {
        verdict = {
          conclusion: "neutral",
          headline: "no pull request: the agent changed no files",
          detail: `The agent finished without changing any file. Its summary:\n\n${quote(outcome.summary)}`,
        };
        await forge.comment(
          `issue-agent did not open a pull request: the agent changed no files.\n\n${quote(outcome.summary)}`,
        );
      } else {
        await reporter.phase("Publishing the pull request");
        const headSha = await commitAndPush(workspace, {
          message: renderCommitMessage(outcome.title, outcome.summary, issue.number),
          author: await forge.commitAuthor(),
          redact: (text) => deps.redactor.redact(text),
        });
        const body = renderPullRequestBody({
          issueNumber: issue.number,
          title: outcome.title,
          summary: outcome.summary,
          rationale: outcome.rationale,
          triggeredBy: job.trigger.sender,
          maintainerInstructions: job.trigger.instructions || undefined,
          changes,
          log,
          model: model.name,
        });
        const pr = await forge
          .openPullRequest({ title: outcome.title, body, head: workspace.branch, base: workspace.baseBranch })
          .catch((error: unknown) => {
            throw new PublishError(
              `The branch \`${workspace?.branch}\` was pushed, but the pull request could not be opened: ${describeError(error)}`,
              "Open a pull request from that branch by hand, or comment `/agent` to retry.",
            );
          });
        job = { ...withEvent(job, `opened ${pr.url}`), pullRequestUrl: pr.url };
        reporter.progress.pullRequestUrl = pr.url;
        await forge.requestReview(pr.number, [job.trigger.sender]).catch(async (error: unknown) => {
          await reporter.note(
            `Could not request a review from @${job.trigger.sender}: ${describeError(error)}`,
          );
        });
        verdict = { conclusion: "success", headline: `opened #${pr.number}`, detail: outcome.summary };
        await reporter.reportOnHead(headSha, "success");
      }
    }
    job = transition(job, "succeeded", verdict.headline);
  } catch (error) {
    verdict = verdictFor(error, deps.redactor);
    if (!(error instanceof UserFacingError)) deps.log.error({ err: error, jobId }, "job failed unexpectedly");
    job = transition(job, verdict.conclusion === "cancelled" ? "cancelled" : "failed", verdict.headline);
  } finally {
    await reporter.finish(verdict.conclusion, verdict.headline, verdict.detail);
    await workspace?.dispose();
    await deps.store.save(job);
  }
  deps.log.info({ jobId, state: job.state, conclusion: verdict.conclusion }, `job ${job.state}`);
  return job;
}

function verdictFor(error: unknown, redactor: SecretRedactor): Verdict {
  if (error instanceof UserFacingError) {
    const detail = [error.message, error.hint ? `**What to do:** ${error.hint}` : ""]
      .filter(Boolean)
      .join("\n\n");
    return { conclusion: error.conclusion, headline: headlineFor(error), detail: redactor.redact(detail) };
  }
  return {
    conclusion: "failure",
    headline: "failed unexpectedly",
    detail: `${redactor.redact(describeError(error))}\n\n**What to do:** comment \`/agent\` to retry; if it fails again, check the app's logs.`,
  };
}

function headlineFor(error: UserFacingError): string {
  switch (error.name) {
    case "ConfigError":
      return "stopped: configuration problem";
    case "LimitsExceeded":
      return "stopped: a limit was reached";
    case "ModelMisbehaved":
      return "stopped: the model's answers were unusable";
    case "ModelUnavailable":
      return "stopped: the model endpoint failed";
    case "JobCancelled":
      return "cancelled";
    default:
      return "failed";
  }
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

/** Every text the job sends to the forge passes through the redactor first. */
function redactingForge(forge: Forge, redactor: SecretRedactor): Forge {
  const r = (text: string) => redactor.redact(text);
  const output = <T extends { title: string; summary: string; text?: string }>(o: T): T => ({
    ...o,
    title: r(o.title),
    summary: r(o.summary),
    ...(o.text === undefined ? {} : { text: r(o.text) }),
  });
  return {
    getRepository: () => forge.getRepository(),
    getIssueThread: () => forge.getIssueThread(),
    gitCredentials: () => forge.gitCredentials(),
    commitAuthor: () => forge.commitAuthor(),
    setStatusComment: (body) => forge.setStatusComment(r(body)),
    comment: (body) => forge.comment(r(body)),
    createCheckRun: (sha, o) => forge.createCheckRun(sha, output(o)),
    updateCheckRun: (id, o) => forge.updateCheckRun(id, output(o)),
    completeCheckRun: (id, c, o) => forge.completeCheckRun(id, c, output(o)),
    reportCheckOn: (sha, c, o) => forge.reportCheckOn(sha, c, output(o)),
    openPullRequest: (d) => forge.openPullRequest({ ...d, title: r(d.title), body: r(d.body) }),
    requestReview: (n, logins) => forge.requestReview(n, logins),
  };
}
