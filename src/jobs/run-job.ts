import type {
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import { readdir, realpath } from "node:fs/promises";
import { runAgentLoop } from "../agent/agent-loop.ts";
import { JobClock } from "../agent/job-clock.ts";
import type { Model } from "../agent/model.ts";
import { buildInitialMessages } from "../agent/prompt/build-messages.ts";
import type { ApprovalAnswer, ApprovalSource } from "../agent/approval.ts";
import { RunLog, type RunLogData } from "../agent/run-log.ts";
import { executeToolCall } from "../agent/tools/execute-tool-call.ts";
import { priceFor, type ModelPrice } from "../agent/pricing.ts";
import { defaultTools } from "../agent/tools/default-tools.ts";
import type { AgentOutcome, Tool, ToolContext } from "../agent/tools/tool.ts";
import {
  ConfigError,
  describeError,
  JobCancelled,
  JobInterrupted,
  LimitsExceeded,
  UserFacingError,
} from "../errors.ts";
import type { CheckConclusion, Forge, ReviewComment } from "../forge/forge.ts";
import { StepDelivery } from "../gates/deliver-step.ts";
import { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { sanitizeUntrusted } from "../guardrails/untrusted/sanitize-untrusted.ts";
import { publishRevision } from "../publish/publish-revision.ts";
import { publishSteps } from "../publish/publish-steps.ts";
import { ProgressReporter } from "../report/progress-reporter.ts";
import { GITHUB_WORDING, type JobWording } from "../report/job-wording.ts";
import { quoteMarkdown } from "../report/quote-markdown.ts";
import { neutralizeModelMarkdown } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import { chooseSandbox } from "../sandbox/choose-sandbox.ts";
import type { SandboxAccess } from "../sandbox/sandbox.ts";
import { renderSetupNote } from "../report/render-setup.ts";
import { renderTestCommandNote } from "../report/render-test-command-note.ts";
import { planTestCommand } from "../gates/detect-test-command.ts";
import { publishedVerdict } from "../report/published-verdict.ts";
import { refusalVerdict } from "../report/refusal-verdict.ts";
import { readRepositoryRoot } from "../gates/read-repository-root.ts";
import { agentCacheEnvironment, dependencyCacheEnvironment } from "../workspace/setup/dependency-cache.ts";
import { planSetup, type SetupPlan } from "../workspace/setup/detect-setup.ts";
import { onBaseTree } from "../workspace/setup/on-base-tree.ts";
import { runSetup } from "../workspace/setup/run-setup.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { branchName } from "../workspace/branch-name.ts";
import { credentialForms } from "../workspace/git-environment.ts";
import { prepareGitView } from "../workspace/sandbox-git-view.ts";
import type { RepositoryCache } from "../workspace/repository-cache.ts";
import { createWorkspace, type Workspace } from "../workspace/workspace.ts";
import { captureWorkspace, restoreWorkspace } from "../workspace/workspace-snapshot.ts";
import { readRepositoryContext } from "../workspace/read-repository-context.ts";
import { renderRepositoryContext } from "../agent/prompt/repository-context.ts";
import type { InboxItem, JobInbox } from "./job-inbox.ts";
import { answerKinds, commitPause, takeAnswer } from "./pause-window.ts";
import { transition, withEvent, type Job, type WaitingForHuman } from "./job.ts";
import type { JobStore } from "./job-store.ts";
import { TrajectoryRecorder } from "../trajectory/trajectory-recorder.ts";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";

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
  /** Decides approval requests at once (a local run's terminal); on GitHub the job pauses to ask. */
  approvalFor?: ApprovalSource;
  /** Stop requests and maintainers' messages for the job, from whichever process received them. */
  inbox: JobInbox;
  workspaceRoot: string;
  /** Variables of the app's environment that setup commands get (ISSUE_AGENT_SETUP_ENV). */
  setupEnvironment?: Readonly<Record<string, string>>;
  /** Prices of models the built-in table does not know (ISSUE_AGENT_MODEL_PRICES). */
  modelPrices?: Readonly<Record<string, ModelPrice>>;
  /** Per-repository mirrors that make the second job's start fast; none means a plain clone. */
  repositoryCache?: RepositoryCache;
  redactor: SecretRedactor;
  /** The job's page, linked from the status comment and check run, or why it is off. */
  logPage?: (job: Job) => { url: string } | { off: string };
  /** Where the job's trajectory (its log page) is kept; none records nothing. */
  trajectories?: TrajectoryStore;
  log: Logger;
  tools?: readonly Tool[];
  /** Aborts the job (stop command, shutdown). */
  signal?: AbortSignal;
  /** How the report tells its reader what to do next; GitHub's words unless given. */
  wording?: JobWording;
  /** Test seams: called at points where a race can happen, to hold the job there. */
  hooks?: JobHooks;
}

export interface JobHooks {
  /** The question (or approval request) is on the issue; the job has not paused yet. */
  pausing?: (jobId: string) => Promise<void>;
}

interface Verdict {
  conclusion: CheckConclusion;
  headline: string;
  detail: string | undefined;
}

const MAX_COMMAND_IN_COMMENT = 2_000;
/** How often a running job looks for `/agent stop` and steering messages. */
const INBOX_POLL_MS = 1_000;
/** A job whose process died this many times is not started again. */
export const MAX_ATTEMPTS = 3;

/**
 * One job, start to end: 1. read the issue, 2. prepare a workspace and its sandbox, 3. run the
 * agent inside the guardrails, 4. publish the gated steps as pull requests, 5. report. This
 * function owns the only catch-all of a job: every failure becomes a conclusion and a message on
 * the check run and the status comment, the check run is always completed, and the workspace is
 * always removed.
 */
export async function runJob(jobId: string, deps: JobDependencies): Promise<Job> {
  const loaded = await deps.store.get(jobId);
  if (!loaded) throw new Error(`job ${jobId} not found`);
  if (loaded.state !== "queued" && loaded.state !== "running") return loaded; // already over
  // A job found "running" was interrupted: its process died. Its safe point is the start (nothing
  // is pushed before the agent finishes), so it runs again, reusing its check run and comment.
  const interrupted = loaded.state === "running";
  // A queued job with a snapshot paused for a question: it goes on where it stopped.
  const paused = interrupted ? undefined : loaded.waiting;
  let job: Job = interrupted
    ? withEvent(loaded, `resuming after an interruption (attempt ${loaded.attempts + 1})`)
    : transition(loaded, "running", paused ? "resumed after its question" : "started");
  // The snapshot is used once: should this run be interrupted, the job starts over from scratch.
  job = { ...job, waiting: undefined, pausing: undefined };
  job = { ...job, attempts: job.attempts + 1, startedAt: job.startedAt ?? new Date().toISOString() };
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
  const log = paused ? RunLog.fromData(paused.runLog as RunLogData) : new RunLog();
  const saveProgress = (update: (current: Job) => Job) => {
    job = update(job);
    // A pausing job's record is written once, by the pause itself (see commitPause): saved here,
    // it would look paused to the intake before the pause has checked for an answer.
    if (job.state === "waiting_for_human") return;
    void deps.store
      .save(job)
      .catch((error: unknown) => deps.log.warn({ err: error, jobId }, "could not save job progress"));
  };
  const reporter = new ProgressReporter(
    forge,
    {
      issueNumber: job.trigger.issueNumber,
      triggeredBy: job.trigger.sender,
      triggerKind: job.trigger.kind,
      phase: "Reading the issue and preparing a workspace",
      plan: [],
      log: undefined,
      pullRequestUrls: [],
      // A resumed job keeps the notes of the runs before its pause (approvals, messages, …).
      notes: [...(paused?.notes ?? [])],
      unsandboxed: false,
      final: undefined,
      logPage: deps.logPage?.(job),
    },
    deps.log,
    {
      existingCheckRunId: job.report.checkRunId,
      onIds: (ids) => saveProgress((current) => ({ ...current, report: { ...current.report, ...ids } })),
    },
  );
  log.onChange(() => {
    reporter.progress.plan = log.plan;
    saveProgress((current) => ({ ...current, plan: log.plan }));
    void reporter.refresh();
  });
  const trajectory = await TrajectoryRecorder.open({
    job,
    store: deps.trajectories,
    redactor: deps.redactor,
    log,
    notes: reporter.progress.notes,
    logger: deps.log,
  });

  // 0. The inbox: `/agent stop` aborts everything under way (the model call, the running command,
  // the gates) within a poll; messages wait for the agent's next turn. Messages recorded before an
  // interruption are delivered again.
  const stop = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;
  let stoppedBy: string | undefined;
  let stopRequest: InboxItem | undefined;
  const undelivered: InboxItem[] = interrupted ? [...(job.messages ?? [])] : [];
  const approvalAnswers: InboxItem[] = [];
  // A waiver of test-first by someone with write access: from the request that started the job,
  // or sent to it while it runs (`/agent skip-tests`). The agent is told, once.
  let waivedBy = job.waivedBy ?? job.trigger.waivedBy;
  if (!paused && !interrupted && job.trigger.waivedBy) {
    const by = job.trigger.waivedBy;
    undelivered.push({ kind: "waiver", by, text: waiverMessage(by), at: job.createdAt });
    job = { ...job, waivedBy: by };
    await deps.store.save(job);
  }
  const readInbox = async () => {
    const items = await deps.inbox.take(jobId).catch((error: unknown) => {
      deps.log.warn({ err: error, jobId }, "could not read the job's inbox");
      return [] as InboxItem[];
    });
    for (const item of items) {
      if (item.kind === "stop") {
        stoppedBy ??= item.by;
        stopRequest ??= item;
        stop.abort();
        continue;
      }
      if (item.kind === "approval") {
        approvalAnswers.push(item);
        continue;
      }
      if (item.kind === "waiver") {
        const by = item.by;
        waivedBy = by;
        undelivered.push({ ...item, text: waiverMessage(by, item.text) });
        saveProgress((current) => ({ ...current, waivedBy: by }));
        void reporter.note(
          `⚠️ @${by} waived test-first for this job (\`/agent skip-tests\`): a step that no test can show is accepted, marked "waived", once the existing tests pass.`,
        );
        continue;
      }
      undelivered.push(item);
      saveProgress((current) => ({ ...current, messages: [...(current.messages ?? []), item] }));
      void reporter.note(
        `💬 @${item.by} sent the agent a message; it reads it at its next turn:\n\n${quoteMarkdown(item.text)}`,
      );
    }
  };
  // One read at a time, so the pause can wait for the last one before it commits.
  let reading = readInbox();
  await reading;
  const inboxPoller = setInterval(() => void (reading = reading.then(readInbox)), INBOX_POLL_MS);
  inboxPoller.unref();

  let workspace: Workspace | undefined;
  let recyclable = false;
  /** Set when the agent asked a question: the job then waits instead of ending. */
  let parked: { question: string; deadline: string; approval: boolean } | undefined;
  let answeredWhilePausing = false;
  let verdict: Verdict = { conclusion: "failure", headline: "failed unexpectedly", detail: undefined };
  try {
    if (job.pullRequestUrls.length > 0) {
      // Interrupted after publishing: the work is out; only the report is left to finish.
      verdict = {
        conclusion: "success",
        headline: `opened ${job.pullRequestUrls.join(", ")}`,
        detail: undefined,
      };
      reporter.progress.pullRequestUrls = job.pullRequestUrls;
      job = transition(job, "succeeded", "already published before the interruption");
      return job;
    }
    if (job.attempts > MAX_ATTEMPTS) {
      throw new JobInterrupted(
        `The app stopped ${job.attempts - 1} times while working on this issue, so the job was not started again.`,
        "Check the app's logs for crashes or memory limits, then comment `/agent` to retry.",
      );
    }
    if (stoppedBy) throw new JobCancelled(`@${stoppedBy} stopped the job before it started.`);
    if (interrupted)
      await reporter.note(
        `The app restarted while this job was running; attempt ${job.attempts} started over from the beginning.`,
      );
    // 1. The issue and where to work.
    const { config } = job;
    const repository = await forge.getRepository();
    await reporter.start(repository.baseSha);
    const issue = await forge.getIssueThread();
    trajectory.titled(issue.title);
    const credentials = await forge.gitCredentials();
    deps.redactor.add(...credentialForms(credentials));

    // A follow-up job on the agent's pull request: the review's inline comments are its input.
    // For `/agent <instructions>` on the pull request, the threads still open there are context.
    const revision = job.trigger.revision;
    const fromReview = revision?.reviewId !== undefined;
    const reviewComments = await commentsToAddress(revision, forge, (error) =>
      deps.log.warn({ err: error, jobId }, "could not read the pull request's open review threads"),
    );

    // A paused job goes on only with an answer; without one its wait has expired.
    // The first answer given since the question was asked; earlier messages stay steering.
    const answer =
      paused && !paused.approval ? takeAnswer(undelivered, paused.askedAt, answerKinds(false)) : undefined;
    if (paused && !paused.approval && !answer)
      throw unanswered(paused, config.agent.question_timeout_minutes);
    // A paused approval request: the decision (or, past the deadline, none) for its command.
    // The first decision sent since the request; it is used up here, so a later pause of this
    // run never mistakes it for its own answer.
    const decision = paused?.approval ? takeAnswer(approvalAnswers, paused.askedAt, ["approval"]) : undefined;
    let resumedApproval: { command: string; answer: ApprovalAnswer } | undefined = paused?.approval && {
      command: paused.approval.command,
      answer: decision
        ? { decision: decision.text === "approved" ? "approved" : "denied", by: decision.by }
        : { decision: "timed out" },
    };

    // 2. A fresh clone on a new branch (or the paused job's work restored on its base), and the
    //    sandbox its commands run in.
    const paths = new PathPolicy(config.paths);
    workspace = await createWorkspace({
      root: deps.workspaceRoot,
      cloneUrl: repository.cloneUrl,
      baseBranch: repository.defaultBranch,
      branch: paused?.branch ?? branchName(issue.number, issue.title),
      continueBranch: paused ? undefined : revision?.branch,
      credentials,
      redact: (text) => deps.redactor.redact(text),
      cache: deps.repositoryCache,
      // Commands see a repository without the forbidden files' history (see prepareGitView),
      // prepared alongside the working tree.
      viewPolicy: paths,
    });
    const workspaceDir = await realpath(workspace.dir);
    const { scratch, objectSource } = workspace;
    const gitView = workspace.gitView ?? (await prepareGitView(workspace, paths));
    const sandboxFor = (access: SandboxAccess) =>
      chooseSandbox({
        workspace: workspaceDir,
        scratch,
        config,
        policy: paths,
        objectSource,
        gitView,
        access,
        // Other jobs' workspaces (and, by default, the repository caches) live under this root.
        privatePaths: [deps.workspaceRoot],
      });
    const sandbox = await sandboxFor({
      network: config.sandbox.network,
      readOnlyDirs: [workspace.dependencyCache],
      environment: agentCacheEnvironment(workspace.dependencyCache),
    });
    reporter.progress.unsandboxed = !sandbox.isolated;
    // A tree whose `.git` the commands could not write is safe for the app to run git in again.
    recyclable = sandbox.isolated;

    // 2b. Setup: dependencies installed before the agent starts, in the same sandbox but with the
    //     network and the repository's package caches; a failure ends the job here, before any
    //     model call. A resumed job sets up again: its snapshot holds only the repository's files.
    //     Planned and run on the base branch's files, before the agent's work is put back: setup
    //     has the network, and must never run a manifest the agent wrote.
    const current = workspace;
    const runSetupStep = async (plan: SetupPlan) => {
      await reporter.phase(`Setting up the workspace (${plan.source})`);
      const report = await runSetup({
        workspace: current,
        plan,
        sandbox: await sandboxFor({
          network: config.setup.network,
          writableDirs: [current.dependencyCache],
          environment: {
            ...deps.setupEnvironment,
            ...dependencyCacheEnvironment(current.dependencyCache),
          },
        }),
        timeoutMs: config.setup.timeout_minutes * 60_000,
        signal,
        redact: (text) => deps.redactor.redact(text),
      });
      await reporter.note(renderSetupNote(report));
      job = withEvent(job, `setup done in ${Math.round(report.durationMs / 1000)} s`);
      await deps.store.save(job);
    };
    const setup = await onBaseTree(workspace, async () => {
      const plan = planSetup(config.setup.commands, await readdir(workspaceDir));
      if (plan.commands.length > 0) await runSetupStep(plan);
      return plan;
    });
    if (paused) {
      await restoreWorkspace(workspace, paused);
      workspace = { ...workspace, baseSha: paused.baseSha };
    }
    job = withEvent(job, `workspace ready on branch ${workspace.branch} at ${workspace.baseSha}`);
    await deps.store.save(job);

    // 2c. The test command test-first runs: configured, or detected from the root like setup.
    const tests = planTestCommand(config.gates.tests.command, await readRepositoryRoot(workspaceDir));
    await reporter.note(renderTestCommandNote(tests, config.gates.test_first));

    // 3. The agent, inside the guardrails, told the repository's conventions and shape.
    const clean = (text: string) => deps.redactor.redact(sanitizeUntrusted(text));
    const repositoryText = paused
      ? undefined
      : await readRepositoryContext(workspace, config, setup.commands).then(
          (context) => clean(renderRepositoryContext(context)),
          (error: unknown) => {
            deps.log.warn({ err: error, jobId }, "could not read the repository's conventions");
            return undefined;
          },
        );
    const model = deps.modelFor(job);
    const prompt = paused
      ? {
          messages: paused.approval
            ? (structuredClone(paused.messages) as ChatCompletionMessageParam[])
            : answeredConversation(paused, answer!),
          truncationNote: undefined,
        }
      : buildInitialMessages({
          issue: {
            ...issue,
            title: clean(issue.title),
            body: clean(issue.body),
            comments: issue.comments.map((c) => ({ author: c.author, body: clean(c.body) })),
          },
          maintainerInstructions: job.trigger.instructions
            ? deps.redactor.redact(job.trigger.instructions)
            : undefined,
          maintainer: job.trigger.sender,
          repository: repositoryText,
          revision: revision && {
            pullNumber: revision.pullNumber,
            branch: revision.branch,
            reviewer: job.trigger.sender,
            reviewBody: clean(revision.reviewBody),
            ciAttempt: revision.ciAttempt,
            openThreads: !fromReview,
            comments: reviewComments.map((comment) => ({
              ...comment,
              body: clean(comment.body),
              diffHunk: clean(comment.diffHunk),
            })),
          },
          limits: {
            maxSteps: config.agent.max_steps,
            maxMinutes: config.agent.max_minutes,
            commandTimeoutSeconds: config.commands.timeout_seconds,
            maxDiffLines: config.gates.max_diff_lines,
          },
        });
    if (prompt.truncationNote) await reporter.note(prompt.truncationNote);
    reporter.progress.log = log;
    await reporter.phase("The agent is working");
    const clock = new JobClock();
    const maxMs = config.agent.max_minutes * 60_000;
    const activeWorkspace = workspace;
    const tools = deps.tools ?? defaultTools;
    const price = priceFor(model.name, priceOverride(config), deps.modelPrices);
    if (config.agent.max_cost_usd !== undefined && !price) {
      throw new ConfigError(
        `\`agent.max_cost_usd\` is set, but the model "${model.name}" has no known price, so the budget cannot be kept.`,
        "Set `agent.price` in .github/agent.yml (USD per million input and output tokens), or have the app's operator price the model with ISSUE_AGENT_MODEL_PRICES.",
      );
    }
    const context: ToolContext = {
      workspace: workspaceDir,
      sandbox,
      config,
      paths,
      log,
      clock,
      redact: (text) => deps.redactor.redact(text),
      publishable: (text) =>
        deps.redactor.redact(
          neutralizeModelMarkdown(text, {
            githubHost: forgeHost(repository.cloneUrl),
            repository: `${job.trigger.owner}/${job.trigger.repo}`,
            requester: job.trigger.sender,
          }),
        ),
      remainingMs: () => maxMs - clock.elapsedMs(),
      approvalFor: async (command, reason) => {
        if (deps.approvalFor) return deps.approvalFor(command, reason);
        // A decision applies once, to the command it was asked for; anything else pauses to ask.
        if (resumedApproval?.command !== command) return undefined;
        const given = resumedApproval.answer;
        resumedApproval = undefined;
        const shown = shortCommand(command).slice(0, 200);
        await reporter.note(
          given.decision === "timed out"
            ? `No answer to the approval request for \`${shown}\`; it was not run.`
            : `@${given.by} ${given.decision} \`${shown}\`.`,
        );
        return given;
      },
      delivery: new StepDelivery({
        workspace: activeWorkspace,
        config,
        paths,
        tests,
        sandbox,
        log,
        author: () => forge.commitAuthor(),
        issueNumber: issue.number,
        waivedBy: () => waivedBy,
        signal,
      }),
      signal,
    };
    // Resumed after an approval request: the paused command is judged again, now with the decision.
    if (paused?.approval) await rerunPausedCall(prompt.messages, tools, context);
    const outcome: AgentOutcome = await runAgentLoop({
      model: trajectory.model(model, price),
      tools: trajectory.tools(tools),
      messages: prompt.messages,
      limits: {
        maxSteps: config.agent.max_steps,
        maxMs,
        maxTokens: config.agent.max_tokens,
        maxCostUsd: config.agent.max_cost_usd,
        maxContextTokens: config.agent.context_tokens,
        maxConsecutiveFormatErrors: 3,
      },
      price,
      context,
      steering: () => undelivered.splice(0),
      onStep: (step) => {
        if (step % 5 === 0) void reporter.phase(`The agent is working (turn ${step})`);
      },
    });

    // 4. Publish, or explain why not.
    if (outcome.kind === "question" || outcome.kind === "approval") {
      // 4a. Pause: everything needed to go on goes into the job record; the question goes to the issue.
      const asksApproval = outcome.kind === "approval";
      const minutes = asksApproval
        ? config.commands.approval_timeout_minutes
        : config.agent.question_timeout_minutes;
      const askedAt = new Date();
      const deadline = new Date(askedAt.getTime() + minutes * 60_000).toISOString();
      // From here an answer is meant for the pause: the intake sees the job is pausing.
      job = { ...job, pausing: { askedAt: askedAt.toISOString(), approval: asksApproval } };
      await deps.store.save(job);
      const bundle = await captureWorkspace(workspace);
      job = {
        ...transition(
          job,
          "waiting_for_human",
          asksApproval ? "asked for approval of a command" : "asked the maintainer a question",
        ),
        waiting: {
          question: asksApproval
            ? `May the agent run \`${shortCommand(outcome.command)}\`?`
            : outcome.question,
          approval: asksApproval ? { command: outcome.command, reason: outcome.reason } : undefined,
          askedAt: askedAt.toISOString(),
          deadline,
          messages: prompt.messages,
          runLog: log.toData(),
          bundle,
          notes: [...reporter.progress.notes],
          branch: workspace.branch,
          baseSha: workspace.baseSha,
        },
        resumes: (job.resumes ?? 0) + 1,
        // A pause is a safe point: only crashes after it count toward MAX_ATTEMPTS, not each resume.
        attempts: 0,
      };
      const until = `${deadline.slice(0, 16).replace("T", " ")} UTC`;
      await forge.comment(
        asksApproval
          ? `⏸️ The agent wants to run this command, which needs approval because ${outcome.reason}:\n\n\`\`\`sh\n${shortCommand(outcome.command)}\n\`\`\`\n\nSomeone with write access can reply \`/agent approve\` or \`/agent deny\`; the job then resumes where it stopped. Without an answer by ${until} it counts as denied. The decision applies to this command only.`
          : `❓ The agent has a question before it goes on:\n\n${quoteMarkdown(outcome.question)}\n\nSomeone with write access can answer with \`/agent <your answer>\`; the job then resumes where it stopped. Without an answer by ${until} it stops. \`/agent stop\` ends it now.`,
      );
      parked = { question: job.waiting!.question, deadline, approval: asksApproval };
      await deps.hooks?.pausing?.(job.id);
    } else if (outcome.kind === "gave_up") {
      verdict = {
        conclusion: "neutral",
        headline: "no pull request: the agent gave up",
        detail: outcome.reason,
      };
      await forge.comment(
        `issue-agent did not open a pull request. The agent gave up:\n\n${quoteMarkdown(outcome.reason)}`,
      );
    } else if (log.steps.length === 0) {
      verdict = {
        conclusion: "neutral",
        headline: "no pull request: the agent changed no files",
        detail: `The agent finished without changing any file. Its summary:\n\n${quoteMarkdown(outcome.summary)}`,
      };
      await forge.comment(
        `issue-agent did not open a pull request: the agent changed no files.\n\n${quoteMarkdown(outcome.summary)}`,
      );
    } else if (revision) {
      await reporter.phase(`Pushing the revision to #${revision.pullNumber}`);
      const pushed = await publishRevision({
        forge,
        workspace,
        log,
        pullNumber: revision.pullNumber,
        reason: revision.ciAttempt
          ? `to fix CI (attempt ${revision.ciAttempt})`
          : `for @${job.trigger.sender}'s review`,
        comments: reviewComments,
        // A review's comments each get an answer; open threads only where the agent gave one.
        answerEvery: fromReview,
        summary: outcome.summary,
        replies: outcome.reviewReplies ?? [],
        redact: (text) => deps.redactor.redact(text),
      });
      job = {
        ...withEvent(job, `pushed ${pushed.commits} commit(s) to #${revision.pullNumber}`),
        pullRequestUrls: [pushed.url],
      };
      reporter.progress.pullRequestUrls = [pushed.url];
      verdict = {
        conclusion: "success",
        headline: `revised #${revision.pullNumber}: ${pushed.commits} commit(s) pushed`,
        detail: outcome.summary,
      };
    } else {
      await reporter.phase("Publishing the pull request");
      const published = await publishSteps({
        forge,
        workspace,
        log,
        reviewer: job.trigger.sender,
        redact: (text) => deps.redactor.redact(text),
        onNote: (note) => reporter.note(note),
        content: {
          issueNumber: issue.number,
          summary: outcome.summary,
          rationale: outcome.rationale,
          triggeredBy: job.trigger.sender,
          maintainerInstructions: job.trigger.instructions || undefined,
          log,
          model: model.name,
          unsandboxed: !sandbox.isolated,
        },
      });
      const urls = published.map((p) => p.pull.url);
      reporter.progress.pullRequestUrls = urls;
      job = { ...withEvent(job, `opened ${urls.join(", ")}`), pullRequestUrls: urls };
      verdict = publishedVerdict(published, outcome.summary);
    }
    if (!parked) job = transition(job, "succeeded", verdict.headline);
  } catch (error) {
    verdict = stoppedBy
      ? stoppedVerdict(stoppedBy, log)
      : verdictFor(error, deps.redactor, deps.wording ?? GITHUB_WORDING, log);
    if (!stoppedBy && !(error instanceof UserFacingError)) {
      deps.log.error({ err: error, jobId }, "job failed unexpectedly");
    }
    job = transition(job, verdict.conclusion === "cancelled" ? "cancelled" : "failed", verdict.headline);
  } finally {
    clearInterval(inboxPoller);
    job = {
      ...job,
      usage: { ...log.usage },
      gateOutcomes: [...log.steps.flatMap((step) => step.gates), ...(log.lastRejectedGates ?? [])].map(
        (gate) => ({ gate: gate.gate, status: gate.status }),
      ),
    };
    if (parked?.approval) {
      await reporter.phase("Waiting for approval of a command (reply `/agent approve` or `/agent deny`)");
    } else if (parked) {
      await reporter.note(
        `❓ The agent asked a question and waits for an answer:\n\n${quoteMarkdown(parked.question)}`,
      );
      await reporter.phase("Waiting for an answer to the agent's question (reply `/agent <answer>`)");
    } else {
      await reporter.finish(verdict.conclusion, verdict.headline, verdict.detail);
    }
    await workspace?.dispose({ recycle: recyclable });
    await trajectory.finish(job.state, parked ? undefined : verdict);
    if (parked && job.waiting) {
      // An answer may have come while the job was pausing: what the job read but did not use goes
      // back to its inbox, and the pause holds only if no answer is there.
      await reading;
      const unread = [...undelivered, ...approvalAnswers, ...(stopRequest ? [stopRequest] : [])];
      answeredWhilePausing = !(await commitPause({ ...job, waiting: job.waiting }, unread, deps));
    } else {
      await deps.store.save(job);
    }
  }
  if (answeredWhilePausing) {
    // The same conversation goes on at once, through the resume path, with the answer.
    await deps.store.save(transition(job, "queued", "answered while it was pausing"));
    deps.log.info({ jobId }, "answered while pausing; resuming");
    return runJob(jobId, deps);
  }
  deps.log.info({ jobId, state: job.state, conclusion: verdict.conclusion }, `job ${job.state}`);
  return job;
}

/**
 * The host whose links the model may write as links: the clone URL's. A local run clones a path
 * (no host); its PR description is meant for GitHub, so github.com's links stay links there.
 */
function forgeHost(cloneUrl: string): string {
  return (URL.canParse(cloneUrl) && new URL(cloneUrl).host) || "github.com";
}

/** What the agent is told when test-first is waived for its job. */
function waiverMessage(by: string, instructions = ""): string {
  return [
    `@${by} waived the test-first requirement for this job (\`/agent skip-tests\`): a step that adds no test failing before the change is accepted, shown as "waived by @${by}", as long as the existing tests pass with it.`,
    instructions,
  ]
    .filter(Boolean)
    .join("\n");
}

function shortCommand(command: string): string {
  return command.length > MAX_COMMAND_IN_COMMENT ? `${command.slice(0, MAX_COMMAND_IN_COMMENT)}…` : command;
}

/**
 * Runs the tool call a job paused on (a command awaiting approval) again, now that the decision is
 * at hand, and puts its result where the pause left "waiting" in the conversation.
 */
async function rerunPausedCall(
  messages: ChatCompletionMessageParam[],
  tools: readonly Tool[],
  context: ToolContext,
): Promise<void> {
  const pausedAt = messages.findLastIndex((message) => message.role === "tool");
  const pausedResult = messages[pausedAt] as ChatCompletionToolMessageParam | undefined;
  const call = messages
    .flatMap((message) => (message.role === "assistant" ? (message.tool_calls ?? []) : []))
    .find((candidate) => candidate.id === pausedResult?.tool_call_id);
  if (!pausedResult || !call || call.type !== "function") return;
  const result = await executeToolCall(
    tools,
    { name: call.function.name, arguments: call.function.arguments },
    context,
  );
  messages[pausedAt] = { ...pausedResult, content: result.output };
}

/**
 * What a follow-up job works from besides its instructions: a review's comments, or for `/agent`
 * on the pull request the threads still open there. Those are context only, so failing to read
 * them does not fail the job.
 */
async function commentsToAddress(
  revision: Job["trigger"]["revision"],
  forge: Forge,
  onThreadsUnreadable: (error: unknown) => void,
): Promise<ReviewComment[]> {
  if (!revision || revision.ciAttempt) return [];
  if (revision.reviewId !== undefined) return forge.reviewComments(revision.pullNumber, revision.reviewId);
  return forge.openReviewThreads(revision.pullNumber).catch((error: unknown) => {
    onThreadsUnreadable(error);
    return [];
  });
}

/** The paused conversation with the maintainer's answer as the result of the agent's question. */
function answeredConversation(paused: WaitingForHuman, answer: InboxItem): ChatCompletionMessageParam[] {
  const messages = structuredClone(paused.messages) as ChatCompletionMessageParam[];
  const question = messages.findLastIndex((message) => message.role === "tool");
  const content = `Answer from the maintainer @${answer.by}:\n${answer.text}`;
  if (question >= 0)
    messages[question] = { ...(messages[question] as ChatCompletionToolMessageParam), content };
  else messages.push({ role: "user", content });
  return messages;
}

/** A paused job whose wait ran out: it ends, saying what it asked. */
function unanswered(paused: WaitingForHuman, minutes: number): LimitsExceeded {
  return new LimitsExceeded(
    `The agent asked a question and nobody answered within ${minutes} minutes, so the job stopped:\n\n${quoteMarkdown(paused.question)}`,
    "Comment `/agent <your answer>` to start a new job with the answer as instructions, or raise `agent.question_timeout_minutes`.",
  );
}

/** What a stopped job reports: who stopped it, what had been done, and that nothing was pushed. */
function stoppedVerdict(by: string, log: RunLog): Verdict {
  const done = log.plan.filter((step) => step.status === "done").length;
  return {
    conclusion: "cancelled",
    headline: `stopped by @${by}`,
    detail: [
      `@${by} stopped the job with \`/agent stop\`. The running command, if any, was killed; nothing was pushed and no pull request was opened.`,
      `Done before the stop: ${log.turns} turns, ${log.commands.length} commands, ${done} of ${log.plan.length} plan steps.`,
      "Comment `/agent retry` to start again, or `/agent <instructions>` to start with new instructions.",
    ].join("\n\n"),
  };
}

function verdictFor(error: unknown, redactor: SecretRedactor, wording: JobWording, log: RunLog): Verdict {
  if (error instanceof UserFacingError) {
    const whatToDo = [error.hint, error.retryable ? wording.retry : undefined].filter(Boolean).join(" ");
    const detail = [error.message, whatToDo ? `**What to do:** ${whatToDo}` : ""]
      .filter(Boolean)
      .join("\n\n");
    const stopped = { conclusion: error.conclusion, headline: headlineFor(error), detail };
    const verdict = refusalVerdict(log, stopped) ?? stopped;
    return { ...verdict, detail: redactor.redact(verdict.detail) };
  }
  return {
    conclusion: "failure",
    headline: "failed unexpectedly",
    detail: `${redactor.redact(describeError(error))}\n\n**What to do:** ${wording.unexpectedFailure}`,
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
    case "SetupFailed":
      return "stopped: setup failed";
    case "JobCancelled":
      return "cancelled";
    default:
      return "failed";
  }
}

/** Every text the job sends to the forge passes through the redactor first. */
function redactingForge(forge: Forge, redactor: SecretRedactor): Forge {
  const r = (text: string) => redactor.redact(text);
  const output = <
    T extends {
      title: string;
      summary: string;
      text?: string;
      annotations?: Array<{ path: string; message: string }>;
    },
  >(
    o: T,
  ): T => ({
    ...o,
    title: r(o.title),
    summary: r(o.summary),
    ...(o.text === undefined ? {} : { text: r(o.text) }),
    ...(o.annotations ? { annotations: o.annotations.map((a) => ({ ...a, message: r(a.message) })) } : {}),
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
    updatePullRequestBody: (n, body) => forge.updatePullRequestBody(n, r(body)),
    getPullRequest: (n) => forge.getPullRequest(n),
    reviewComments: (n, id) => forge.reviewComments(n, id),
    openReviewThreads: (n) => forge.openReviewThreads(n),
    replyToReviewComment: (n, id, body) => forge.replyToReviewComment(n, id, r(body)),
    addLabels: (n, labels) => forge.addLabels(n, labels),
    requestReview: (n, logins) => forge.requestReview(n, logins),
  };
}

/** The repository's `agent.price`, in the price table's shape. */
function priceOverride(config: Job["config"]): ModelPrice | undefined {
  const price = config.agent.price;
  if (!price) return undefined;
  return {
    inputPerMillion: price.input_per_million,
    ...(price.cached_input_per_million === undefined
      ? {}
      : { cachedInputPerMillion: price.cached_input_per_million }),
    outputPerMillion: price.output_per_million,
  };
}
