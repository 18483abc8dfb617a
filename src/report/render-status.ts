import { formatDuration } from "../format-duration.ts";
import { formatCost } from "./format-cost.ts";
import type { CheckRunOutput } from "../forge/forge.ts";
import type { JobProgress } from "./job-progress.ts";
import {
  renderGateExcerpts,
  renderGateTable,
  renderRefusals,
  UNSANDBOXED_WARNING,
} from "./render-guardrails.ts";
import { renderPlan } from "./render-plan.ts";
import { formatCount } from "../format-count.ts";

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
  const via =
    progress.triggerKind === "label"
      ? "the label"
      : progress.triggerKind === "check_run"
        ? "the check run's Retry button"
        : progress.triggerKind === "review"
          ? "a review of its pull request"
          : "an `/agent` comment";
  return [
    heading,
    "",
    `Started by @${progress.triggeredBy} via ${via}.`,
    ...(progress.final ? [] : [`**Now:** ${progress.phase}`]),
    ...(progress.final?.detail ? ["", progress.final.detail] : []),
    ...pullRequestLines(progress),
    ...(progress.unsandboxed ? ["", UNSANDBOXED_WARNING] : []),
    ...progress.notes.map((note) => `\n> ${note}`),
    "",
    "**Plan**",
    renderPlan(progress.plan),
    ...(progress.log ? ["", usageLine(progress)] : []),
    ...(progress.logPage && "url" in progress.logPage ? logPageLine(progress) : []),
  ].join("\n");
}

export function renderCheckOutput(progress: JobProgress): CheckRunOutput {
  const log = progress.log;
  const title = progress.final ? progress.final.headline : progress.phase;
  const gateSections = (log?.steps ?? []).map(
    (step, i, all) =>
      `**Gates${all.length > 1 ? ` — part ${i + 1} of ${all.length}` : ""}: ${step.title}**\n${renderGateTable(step.gates)}`,
  );
  const rejected = log?.lastRejectedGates;
  if (rejected)
    gateSections.push(`**Gates of the last attempt, which was not delivered**\n${renderGateTable(rejected)}`);
  const summary = [
    ...(progress.unsandboxed ? [UNSANDBOXED_WARNING, ""] : []),
    ...(progress.final?.detail ? [progress.final.detail, ""] : []),
    ...pullRequestLines(progress),
    ...progress.notes.map((note) => `> ${note}\n`),
    "**Plan**",
    renderPlan(progress.plan),
    ...gateSections.flatMap((section) => ["", section]),
    ...(log?.refusals.length ? ["", renderRefusals(log.refusals)] : []),
    ...(log ? ["", usageLine(progress)] : []),
    ...logPageLine(progress),
  ].join("\n");
  const commands = log?.commands ?? [];
  const allGates = [...(log?.steps.flatMap((s) => s.gates) ?? []), ...(rejected ?? [])];
  const textParts = [
    ...(commands.length
      ? [["| Command | Result | Time |", "| --- | --- | --- |", ...commands.map(commandRow)].join("\n")]
      : []),
    renderGateExcerpts(allGates),
  ].filter(Boolean);
  const annotations = (rejected ?? []).flatMap((gate) =>
    (gate.files ?? []).map((f) => ({ path: f.path, message: `${gate.gate}: ${f.message}` })),
  );
  return {
    title,
    summary,
    ...(textParts.length ? { text: textParts.join("\n\n") } : {}),
    ...(annotations.length ? { annotations } : {}),
  };
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

/** Where the whole log is: every model call, command and gate, for readers of the repository. */
function logPageLine(progress: JobProgress): string[] {
  const page = progress.logPage;
  if (!page) return [];
  if ("url" in page)
    return ["", `📜 [The job's log](${page.url}): every model call, command and gate with its output.`];
  return ["", `<sub>${page.off}</sub>`];
}

function pullRequestLines(progress: JobProgress): string[] {
  if (progress.pullRequestUrls.length === 0) return [];
  if (progress.pullRequestUrls.length === 1) return ["", `**Pull request:** ${progress.pullRequestUrls[0]}`];
  return [
    "",
    "**Pull requests (stacked, merge in order):**",
    ...progress.pullRequestUrls.map((url, i) => `${i + 1}. ${url}`),
  ];
}

/**
 * Made with the module: the first number ICU formats in a process costs about 10 ms, which would
 * otherwise fall on the first job's start (its first status update), stalling everything else.
 */
const thousands = new Intl.NumberFormat("en-US");

function usageLine(progress: JobProgress): string {
  const log = progress.log;
  if (!log) return "";
  return `<sub>${formatCount(log.turns, "turn")} · ${formatCount(log.usage.modelCalls, "model call")} · ${thousands.format(log.usage.promptTokens)} prompt (${thousands.format(log.usage.cachedPromptTokens ?? 0)} cached) + ${thousands.format(log.usage.completionTokens)} completion tokens · ${formatCost(log.usage.costUsd)} · ${formatCount(log.commands.length, "command")} · ${formatDuration(log.usage.agentMs ?? 0)}</sub>`;
}
