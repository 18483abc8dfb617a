import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { buildInitialMessages } from "../agent/prompt/build-messages.ts";
import { readRepositoryContext } from "../agent/prompt/read-repository-context.ts";
import { renderRepositoryContext } from "../agent/prompt/repository-context.ts";
import { sanitizeUntrusted } from "../guardrails/untrusted/sanitize-untrusted.ts";
import type { JobRun } from "./open-job.ts";
import type { PreparedWorkspace } from "./prepare-workspace.ts";
import type { IssueAtHand } from "./read-issue.ts";
import type { Resumed } from "./resume.ts";

export interface Conversation {
  messages: ChatCompletionMessageParam[];
  /** Set when the issue thread was cut to fit: the status comment says so. */
  truncationNote: string | undefined;
}

/**
 * The conversation the agent starts from: the issue (its untrusted text fenced and redacted), the
 * maintainer's instructions, the repository's conventions and shape, and the job's limits. A
 * resumed job goes on with its own conversation, the answer in place.
 */
export async function buildConversation(
  run: JobRun,
  at: IssueAtHand,
  prepared: PreparedWorkspace,
  resumed: Resumed,
): Promise<Conversation> {
  if (resumed.messages) return { messages: resumed.messages, truncationNote: undefined };
  const { job, deps } = run;
  const { config } = job;
  const clean = (text: string) => deps.redactor.redact(sanitizeUntrusted(text));
  const repository = await readRepositoryContext(prepared.workspace, config, prepared.setup.commands).then(
    (context) => clean(renderRepositoryContext(context)),
    (error: unknown) => {
      deps.log.warn({ err: error, jobId: job.id }, "could not read the repository's conventions");
      return undefined;
    },
  );
  const { issue, revision } = at;
  return buildInitialMessages({
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
    repository,
    revision: revision && {
      pullNumber: revision.pullNumber,
      branch: revision.branch,
      reviewer: job.trigger.sender,
      reviewBody: clean(revision.reviewBody),
      ciAttempt: revision.ciAttempt,
      openThreads: !at.fromReview,
      comments: at.reviewComments.map((comment) => ({
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
}
