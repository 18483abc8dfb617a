import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { AgentOutcome } from "../agent/tools/tool.ts";
import { transition } from "../jobs/job.ts";
import { commitPause } from "../jobs/pause-window.ts";
import { codeBlock, codeSpan } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import { quoteMarkdown } from "../report/quote-markdown.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { captureWorkspace } from "../workspace/workspace-snapshot.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";
import { shortCommand } from "./short-command.ts";

/** A job that asked and waits: what it asked, until when, and whether it is an approval request. */
export interface Parked {
  question: string;
  deadline: string;
  approval: boolean;
}

export type Asking = Extract<AgentOutcome, { kind: "question" } | { kind: "approval" }>;

/**
 * Parks the job on its question or approval request: everything needed to go on (conversation,
 * run log, the work as a git bundle) goes into the job record, and the question to the issue. The
 * pause is committed once the run has wound down (see `holdPause`).
 */
export async function park(
  run: JobRun,
  workspace: Workspace,
  asking: Asking,
  messages: ChatCompletionMessageParam[],
): Promise<Parked> {
  const { config } = run.job;
  const asksApproval = asking.kind === "approval";
  const minutes = asksApproval
    ? config.commands.approval_timeout_minutes
    : config.agent.question_timeout_minutes;
  const askedAt = new Date();
  const deadline = new Date(askedAt.getTime() + minutes * 60_000).toISOString();
  // From here an answer is meant for the pause: the intake sees the job is pausing.
  run.job = { ...run.job, pausing: { askedAt: askedAt.toISOString(), approval: asksApproval } };
  await run.save();
  const bundle = await captureWorkspace(workspace);
  const question =
    asking.kind === "approval"
      ? `May the agent run ${codeSpan(shortCommand(asking.command))}?`
      : asking.question;
  run.job = {
    ...transition(
      run.job,
      "waiting_for_human",
      asksApproval ? "asked for approval of a command" : "asked the maintainer a question",
    ),
    waiting: {
      question,
      approval: asking.kind === "approval" ? { command: asking.command, reason: asking.reason } : undefined,
      askedAt: askedAt.toISOString(),
      deadline,
      messages,
      runLog: run.log.toData(),
      bundle,
      notes: [...run.reporter.progress.notes],
      branch: workspace.branch,
      baseSha: workspace.baseSha,
    },
    resumes: (run.job.resumes ?? 0) + 1,
    // A pause is a safe point: only crashes after it count toward MAX_ATTEMPTS, not each resume.
    attempts: 0,
  };
  await run.forge.comment(askingComment(asking, `${deadline.slice(0, 16).replace("T", " ")} UTC`));
  await run.deps.hooks?.pausing?.(run.job.id);
  return { question, deadline, approval: asksApproval };
}

function askingComment(asking: Asking, until: string): string {
  return asking.kind === "approval"
    ? `⏸️ The agent wants to run this command, which needs approval because ${asking.reason}:\n\n${codeBlock(shortCommand(asking.command), "sh")}\n\nSomeone with write access can reply \`/agent approve\` or \`/agent deny\`; the job then resumes where it stopped. Without an answer by ${until} it counts as denied. The decision applies to this command only.`
    : `❓ The agent has a question before it goes on:\n\n${quoteMarkdown(asking.question)}\n\nSomeone with write access can answer with \`/agent <your answer>\`; the job then resumes where it stopped. Without an answer by ${until} it stops. \`/agent stop\` ends it now.`;
}

/** The status comment of a parked job: what it waits for. */
export async function reportParked(run: JobRun, parked: Parked): Promise<void> {
  if (parked.approval) {
    await run.reporter.phase("Waiting for approval of a command (reply `/agent approve` or `/agent deny`)");
    return;
  }
  await run.reporter.note(
    `❓ The agent asked a question and waits for an answer:\n\n${quoteMarkdown(parked.question)}`,
  );
  await run.reporter.phase("Waiting for an answer to the agent's question (reply `/agent <answer>`)");
}

/**
 * Commits the pause. An answer may have come while the job was pausing: what the job read but did
 * not use goes back to its inbox, and the pause holds only if no answer is there. Returns false
 * when the job must go on at once.
 */
export async function holdPause(run: JobRun, control: JobControl): Promise<boolean> {
  const { job } = run;
  if (!job.waiting) return true;
  const unused = await control.unused();
  return commitPause({ ...job, waiting: job.waiting }, unused, run.deps);
}
