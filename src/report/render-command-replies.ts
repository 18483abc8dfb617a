import type { Job } from "../jobs/job.ts";
import { quoteMarkdown } from "./quote-markdown.ts";
import { describeError } from "../errors.ts";
import { formatCount } from "../format-count.ts";

/** The answer to a request GitHub kept refusing the app something for (see Intake). */
export function droppedRequestText(error: unknown): string {
  return `issue-agent could not handle this request: ${describeError(error)}\n\nIf GitHub is having trouble, wait a little; otherwise check the app's permissions on this repository. Then label the issue again or comment \`/agent\` to retry.`;
}

/** The answer to `/agent help` (and to an unknown sub-command). */
export function helpText(label: string | undefined): string {
  return [
    "**issue-agent commands** — comment on an issue, first line; people with write access only:",
    "",
    "| Command | What it does |",
    "| --- | --- |",
    `| \`/agent\` | Start work on the issue (same as adding the ${label ? `\`${label}\`` : "trigger"} label). |`,
    "| `/agent <instructions>` | Start work with these instructions; while a job runs, the agent reads them at its next turn. |",
    "| `/agent stop` | Stop the running job within seconds; nothing half-made is pushed. |",
    "| `/agent status` | Show what the job is doing or how it ended. |",
    "| `/agent approve` / `/agent deny` | Answer the agent's request to run a command that needs approval. |",
    "| `/agent retry` | Run the last job again with the same instructions. |",
    '| `/agent skip-tests [instructions]` | Waive test-first for the job (the running one, or a new one): a change no test can show is accepted as "waived by you" once the existing tests pass. Also on its pull request. |',
    "| `/agent help` | This list. |",
    "",
    "Quoted lines (`> /agent …`), code blocks and edited comments are never commands.",
  ].join("\n");
}

/** The answer to `/agent status`, from the job record alone (any process can give it). */
export function jobSummary(job: Job): string {
  const lines = [
    `**issue-agent status:** ${job.state === "running" ? "running" : job.state} (job started by @${job.trigger.sender}, ${formatCount(job.attempts, "attempt")}).`,
  ];
  if (job.trigger.instructions) lines.push("", "Instructions:", quoteMarkdown(job.trigger.instructions));
  if (job.waiting) {
    lines.push(
      "",
      `The agent asked a question and waits for an answer (until ${job.waiting.deadline.slice(0, 16).replace("T", " ")} UTC); reply \`/agent <your answer>\`:`,
      quoteMarkdown(job.waiting.question),
    );
  }
  if (job.plan.length > 0) {
    lines.push("", "Plan:");
    for (const step of job.plan) lines.push(`- [${step.status === "done" ? "x" : " "}] ${step.title}`);
  }
  if (job.pullRequestUrls.length > 0) lines.push("", `Pull requests: ${job.pullRequestUrls.join(", ")}`);
  lines.push("", "Recent events:");
  for (const event of job.events.slice(-6))
    lines.push(`- ${event.at.slice(0, 19).replace("T", " ")} UTC — ${event.message}`);
  return lines.join("\n");
}
