import type { CheckRunOutput } from "../forge/forge.ts";
import type { JobProgress } from "./job-progress.ts";
import { renderPlan } from "./render-plan.ts";

const ICONS: Record<string, string> = {
  success: "✅",
  failure: "❌",
  cancelled: "⏹️",
  neutral: "⚪",
  action_required: "⚠️",
};

/** The one status comment on the issue, rewritten as the job advances. */
export function renderStatusComment(progress: JobProgress): string {
  const heading = progress.final
    ? `### ${ICONS[progress.final.conclusion] ?? ""} issue-agent: ${progress.final.headline}`
    : "### ⏳ issue-agent is working on this issue";
  const via = progress.triggerKind === "label" ? "the label" : "an `/agent` comment";
  return [
    heading,
    "",
    `Started by @${progress.triggeredBy} via ${via}.`,
    ...(progress.final ? [] : [`**Now:** ${progress.phase}`]),
    ...(progress.final?.detail ? ["", progress.final.detail] : []),
    ...(progress.pullRequestUrl ? ["", `**Pull request:** ${progress.pullRequestUrl}`] : []),
    ...progress.notes.map((note) => `\n> ${note}`),
    "",
    "**Plan**",
    renderPlan(progress.plan),
    ...(progress.log ? ["", usageLine(progress)] : []),
  ].join("\n");
}

export function renderCheckOutput(progress: JobProgress): CheckRunOutput {
  const title = progress.final ? progress.final.headline : progress.phase;
  const summary = [
    ...(progress.final?.detail ? [progress.final.detail, ""] : []),
    ...(progress.pullRequestUrl ? [`Pull request: ${progress.pullRequestUrl}`, ""] : []),
    ...progress.notes.map((note) => `> ${note}\n`),
    "**Plan**",
    renderPlan(progress.plan),
    ...(progress.log ? ["", usageLine(progress)] : []),
  ].join("\n");
  const commands = progress.log?.commands ?? [];
  const text = commands.length
    ? ["| Command | Result | Time |", "| --- | --- | --- |", ...commands.map(commandRow)].join("\n")
    : undefined;
  return { title, summary, ...(text ? { text } : {}) };
}

export function commandRow(record: {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}): string {
  const result = record.timedOut ? "timed out" : record.exitCode === 0 ? "ok" : `exit ${record.exitCode}`;
  const command = record.command.replace(/\s+/g, " ").slice(0, 200).replace(/\|/g, "\\|").replace(/`/g, "'");
  return `| \`${command}\` | ${result} | ${(record.durationMs / 1000).toFixed(1)}s |`;
}

function usageLine(progress: JobProgress): string {
  const log = progress.log;
  if (!log) return "";
  return `<sub>${log.steps} turns · ${log.usage.modelCalls} model calls · ${log.usage.promptTokens.toLocaleString("en-US")} prompt + ${log.usage.completionTokens.toLocaleString("en-US")} completion tokens · ${log.commands.length} commands</sub>`;
}
