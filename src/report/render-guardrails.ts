import { codeBlock, codeSpan } from "../guardrails/untrusted/neutralize-model-markdown.ts";
import { escapeHtml } from "./escape-html.ts";
import { BEHAVIOUR_UNCHANGED, type GateResult, type Refusal } from "../jobs/run-log.ts";

const STATUS: Record<GateResult["status"], string> = {
  passed: "✅ passed",
  failed: "❌ failed",
  skipped: "⏭️ skipped",
  not_verified: "⚪ not verified",
  waived: "⚠️ waived",
};

/** Every gate's verdict as a table, the same in the PR body and the check run. */
export function renderGateTable(gates: readonly GateResult[]): string {
  return [
    "| Gate | Result | Details |",
    "| --- | --- | --- |",
    ...gates.map(
      (g) =>
        `| ${g.gate} | ${STATUS[g.status]} | ${cell(g.detail)}${g.fix && g.status !== "passed" ? ` — ${cell(g.fix)}` : ""} |`,
    ),
  ].join("\n");
}

/** Gates that could not check what they check; a step with one is never reported as green. */
export function unverifiedGates(gates: readonly GateResult[]): GateResult[] {
  return gates.filter((g) => g.status === "not_verified");
}

/**
 * The test runs that back test-first's verdict, collapsed: the failing run on the base commit with
 * only the tests' change, then the passing run with the whole change. Empty when none ran.
 */
export function renderTestEvidence(gates: readonly GateResult[], maxChars = 3_000): string {
  const excerpts = gates.filter((g) => g.gate === "test-first").flatMap((g) => g.excerpts ?? []);
  return excerpts.map((e) => excerptBlock(e, maxChars)).join("\n");
}

/**
 * How test-first was met when not by a test that failed before the change: "behaviour unchanged
 * (comments/formatting only)" or "waived by @who"; undefined when tests showed it (or it failed).
 */
export function testFirstException(gates: readonly GateResult[]): string | undefined {
  const notes = gates
    .filter((g) => g.gate === "test-first")
    .map((g) =>
      g.status === "waived"
        ? `⚠️ ${/^waived by @[\w.[\]-]+/.exec(g.detail)?.[0] ?? "waived"}`
        : g.status === "passed" && g.detail.startsWith(BEHAVIOUR_UNCHANGED)
          ? BEHAVIOUR_UNCHANGED
          : undefined,
    )
    .filter((note): note is string => note !== undefined);
  return notes.length > 0 ? `test-first: ${[...new Set(notes)].join(", ")}` : undefined;
}

/** Log excerpts of the gates (test runs before and after, lint output), for the check run. */
export function renderGateExcerpts(gates: readonly GateResult[], maxChars = 4_000): string {
  return gates
    .flatMap((g) => g.excerpts ?? [])
    .map((e) => excerptBlock(e, maxChars))
    .join("\n");
}

export function renderRefusals(refusals: readonly Refusal[]): string {
  if (refusals.length === 0) return "";
  return [
    `**Refused by the guardrails (${refusals.length})**`,
    "| Rule | Attempt | Why |",
    "| --- | --- | --- |",
    ...refusals.map(
      (r) =>
        `| ${cell(r.rule)} | \`${cell(r.subject).replace(/`/g, "'").slice(0, 200)}\` | ${cell(codeSpan(oneLine(r.reason).slice(0, 300)))} |`,
    ),
  ].join("\n");
}

export function renderReviewReasons(reasons: ReadonlyArray<{ path: string; reason: string }>): string {
  return reasons.map((r) => `- ${codeSpan(oneLine(r.path))}: ${r.reason}`).join("\n");
}

export const UNSANDBOXED_WARNING =
  "> [!WARNING]\n> **The agent's commands ran without a sandbox** (bubblewrap is unavailable on the app host and this repository set `sandbox.allow_unsandboxed: true`). Lost: no namespace — they ran as the app's user with the app host's files (the app's own included), processes and network; they saw the repository's real `.git`; only per-process ulimits held (no total memory cap, no private /tmp, and no process limit if the app runs as root). Review with that in mind.";

/** A log excerpt, collapsed under its title (a command: HTML text), in a fence longer than any it holds. */
function excerptBlock(excerpt: { title: string; text: string }, maxChars: number): string {
  return `<details><summary>${escapeHtml(excerpt.title)}</summary>\n\n${codeBlock(tail(excerpt.text, maxChars))}\n</details>`;
}

/** Text as one line, for a list item or a table cell. */
function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ");
}

/**
 * A table cell: one line, its pipes escaped (inside code spans too, as GitHub's tables need), and
 * the backslashes before a pipe doubled, so that none of them escapes the pipe's own escape.
 */
export function cell(text: string): string {
  return oneLine(text).replace(/(\\*)\|/g, (_match, slashes: string) => `${slashes}${slashes}\\|`);
}

function tail(text: string, maxChars: number): string {
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}
