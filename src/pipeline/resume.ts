import type {
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import type { ApprovalAnswer } from "../agent/approval.ts";
import { executeToolCall } from "../agent/tools/execute-tool-call.ts";
import type { Tool, ToolContext } from "../agent/tools/tool.ts";
import { LimitsExceeded } from "../errors.ts";
import type { InboxItem } from "../jobs/job-inbox.ts";
import type { WaitingForHuman } from "../jobs/job.ts";
import { answerKinds, takeAnswer } from "../jobs/pause-window.ts";
import { quoteMarkdown } from "../report/quote-markdown.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";

/** What a resumed job goes on with: the answer to its question, or the decision on its command. */
export interface Resumed {
  /** The conversation to go on with, the answer in place; none for a job that did not pause. */
  messages: ChatCompletionMessageParam[] | undefined;
  /** The decision for the command the job paused on; it applies once, to that command. */
  approval: { command: string; answer: ApprovalAnswer } | undefined;
}

/**
 * Takes the answer a paused job waited for out of what its inbox brought. A question goes on only
 * with an answer (without one its wait has expired and the job ends); an approval request goes on
 * with the decision, or past the deadline with none.
 */
export function resumeFromPause(run: JobRun, control: JobControl): Resumed {
  const { paused } = run;
  if (!paused) return { messages: undefined, approval: undefined };
  if (paused.approval) {
    // The first decision sent since the request; it is used up here, so a later pause of this
    // run never mistakes it for its own answer.
    const decision = takeAnswer(control.approvalAnswers, paused.askedAt, ["approval"]);
    return {
      messages: structuredClone(paused.messages) as ChatCompletionMessageParam[],
      approval: {
        command: paused.approval.command,
        answer: decision
          ? { decision: decision.text === "approved" ? "approved" : "denied", by: decision.by }
          : { decision: "timed out" },
      },
    };
  }
  // The first answer given since the question was asked; earlier messages stay steering.
  const answer = takeAnswer(control.undelivered, paused.askedAt, answerKinds(false));
  if (!answer) throw unanswered(paused, run.job.config.agent.question_timeout_minutes);
  return { messages: answeredConversation(paused, answer), approval: undefined };
}

/**
 * Runs the tool call a job paused on (a command awaiting approval) again, now that the decision is
 * at hand, and puts its result where the pause left "waiting" in the conversation.
 */
export async function rerunPausedCall(
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
