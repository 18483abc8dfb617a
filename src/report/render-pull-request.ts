import { formatDuration } from "../format-duration.ts";
import { formatCost } from "./format-cost.ts";
import type { DeliveredStep, RunLog } from "../jobs/run-log.ts";
import { codeSpan } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import {
  cell,
  renderGateTable,
  renderRefusals,
  renderReviewReasons,
  renderTestEvidence,
  unverifiedGates,
  UNSANDBOXED_WARNING,
} from "./render-guardrails.ts";
import { renderPlan } from "./render-plan.ts";
import { quoteMarkdown } from "./quote-markdown.ts";
import { commandRow } from "./render-status.ts";
import { formatCount } from "../format-count.ts";

export interface PullRequestContent {
  issueNumber: number;
  step: DeliveredStep;
  /** 1-based position in the series, and the series' PR links (known once all are open). */
  part: { index: number; count: number; links: Array<string | undefined> };
  summary: string;
  rationale: string;
  triggeredBy: string;
  maintainerInstructions: string | undefined;
  log: RunLog;
  model: string;
  unsandboxed: boolean;
  /** The toolchains setup and the tests ran with (see renderToolchains). */
  toolchains?: string | undefined;
}

/** The PR description: what, why, the plan, the gates, what changed, what was run, and what it cost. */
export function renderPullRequestBody(content: PullRequestContent): string {
  const { log, step, part } = content;
  const last = part.index === part.count;
  const files = step.files.map((f) => `| ${cell(codeSpan(f.path))} | +${f.added} | −${f.removed} |`);
  return [
    ...(content.unsandboxed ? [UNSANDBOXED_WARNING, ""] : []),
    last ? `Closes #${content.issueNumber}` : `Part of #${content.issueNumber}`,
    "",
    ...(part.count > 1 ? [renderSeries(part), ""] : []),
    `> Written by issue-agent (model \`${content.model}\`), started by @${content.triggeredBy}. Please review it like any contributor's change.`,
    ...(step.reviewReasons.length
      ? [
          "",
          "## ⚠️ Needs human review",
          "This PR is a draft because these changes need a human:",
          renderReviewReasons(step.reviewReasons),
        ]
      : []),
    ...unverifiedGates(step.gates).flatMap((gate) => [
      "",
      `## ⚪ ${gate.gate}: not verified`,
      `${gate.detail}.${gate.fix ? ` ${gate.fix}` : ""}`,
    ]),
    "",
    "## Summary",
    step.summary,
    ...(part.count > 1 ? ["", "### The whole change", content.summary] : []),
    "",
    "## Rationale",
    content.rationale,
    ...(content.maintainerInstructions
      ? ["", "## Maintainer instructions", quoteMarkdown(content.maintainerInstructions)]
      : []),
    ...(log.maintainerMessages.length
      ? [
          "",
          "## Messages from maintainers during the run",
          ...log.maintainerMessages.flatMap((message) => [
            `@${message.by}, read by the agent at turn ${message.turn}:`,
            quoteMarkdown(message.text),
            "",
          ]),
        ]
      : []),
    "",
    "## Plan",
    renderPlan(log.plan),
    "",
    "## Guardrails",
    renderGateTable(step.gates),
    ...(log.refusals.length ? ["", renderRefusals(log.refusals)] : []),
    ...testEvidenceSection(step),
    "",
    `## Files changed (${formatCount(step.files.length, "file")}, ${formatCount(step.lines, "line")})`,
    "| File | Added | Removed |",
    "| --- | --- | --- |",
    ...files,
    "",
    "## Commands and tests run",
    ...(content.toolchains ? [content.toolchains, ""] : []),
    ...(log.commands.length
      ? ["| Command | Result | Time |", "| --- | --- | --- |", ...log.commands.map(commandRow)]
      : ["_The agent ran no commands._"]),
    "",
    "## Usage",
    `${formatCount(log.turns, "turn")}, ${formatCount(log.usage.modelCalls, "model call")}, ${log.usage.promptTokens} prompt tokens, ${log.usage.completionTokens} completion tokens (${log.totalTokens} total, ${log.usage.cachedPromptTokens} prompt tokens from the provider's cache); ${formatCost(log.usage.costUsd)}; ${formatCount(log.commands.length, "command")}; ${formatDuration(log.usage.agentMs ?? 0)} of agent time.${log.elidedToolOutputs ? ` ${log.elidedToolOutputs} older tool outputs were left out of later requests to stay within the context budget.` : ""}`,
  ].join("\n");
}

function testEvidenceSection(step: DeliveredStep): string[] {
  const evidence = renderTestEvidence(step.gates);
  return evidence
    ? [
        "",
        "## Test evidence",
        "The tests fail on the base commit with only the test changes, and pass with the whole change:",
        "",
        evidence,
      ]
    : [];
}

function renderSeries(part: PullRequestContent["part"]): string {
  const items = part.links.map((link, i) => {
    const label = `part ${i + 1}`;
    const text = link ? `${label}: ${link}` : label;
    return i + 1 === part.index ? `**${text} (this PR)**` : text;
  });
  return `**Part ${part.index} of ${part.count}** of a stacked series; merge in order. ${items.join(" · ")}`;
}
