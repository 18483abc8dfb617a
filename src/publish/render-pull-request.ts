import type { RunLog } from "../agent/run-log.ts";
import type { ChangeSummary } from "../workspace/commit-and-push.ts";
import { commandRow } from "../report/render-status.ts";
import { renderPlan } from "../report/render-plan.ts";

export interface PullRequestContent {
  issueNumber: number;
  title: string;
  summary: string;
  rationale: string;
  triggeredBy: string;
  maintainerInstructions: string | undefined;
  changes: ChangeSummary;
  log: RunLog;
  model: string;
}

/** The PR description: what, why, the plan, what changed, what was run, and what it cost. */
export function renderPullRequestBody(content: PullRequestContent): string {
  const { log } = content;
  const files = content.changes.files.map((f) => `| \`${f.path}\` | +${f.added} | −${f.removed} |`);
  const totals = content.changes.files.reduce((sum, f) => sum + f.added + f.removed, 0);
  return [
    `Closes #${content.issueNumber}`,
    "",
    `> Written by issue-agent (model \`${content.model}\`), started by @${content.triggeredBy}. Please review it like any contributor's change.`,
    "",
    "## Summary",
    content.summary,
    "",
    "## Rationale",
    content.rationale,
    ...(content.maintainerInstructions
      ? ["", "## Maintainer instructions", quote(content.maintainerInstructions)]
      : []),
    "",
    "## Plan",
    renderPlan(log.plan),
    "",
    `## Files changed (${content.changes.files.length} files, ${totals} lines)`,
    "| File | Added | Removed |",
    "| --- | --- | --- |",
    ...files,
    "",
    "## Commands and tests run",
    ...(log.commands.length
      ? ["| Command | Result | Time |", "| --- | --- | --- |", ...log.commands.map(commandRow)]
      : ["_The agent ran no commands._"]),
    "",
    "## Usage",
    `${log.steps} turns, ${log.usage.modelCalls} model calls, ${log.usage.promptTokens} prompt tokens, ${log.usage.completionTokens} completion tokens (${log.totalTokens} total).`,
  ].join("\n");
}

/** The commit message: the PR title, the summary, and the trailer that links the issue. */
export function renderCommitMessage(title: string, summary: string, issueNumber: number): string {
  return `${title}\n\n${summary}\n\nFixes #${issueNumber}`;
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
