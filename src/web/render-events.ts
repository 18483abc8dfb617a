import type { TrajectoryEvent } from "../trajectory/trajectory.ts";
import { html, type Html } from "./html.ts";
import { formatCount } from "../format-count.ts";

export type Event<K extends TrajectoryEvent["kind"]> = Extract<TrajectoryEvent, { kind: K }>;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const usd = (value: number | undefined) => (value === undefined ? "n/a" : `$${value.toFixed(4)}`);
export const time = (at: string) => at.slice(11, 19);

/**
 * A collapsible output. `id` is stable from one rendering of the page to the next, so a live update
 * can keep open what the reader opened.
 */
export function output(id: string, title: string, text: string | Html, open = false): Html {
  if (!text || (typeof text !== "string" && !text.value)) return html``;
  return html`<details id="${id}" ${open ? html`open` : ""}>
    <summary>${title}</summary>
    <pre>${text}</pre>
  </details>`;
}

/** A unified diff with its added, removed and hunk lines marked; every line stays text. */
export function diffLines(diff: string): Html {
  const kind = (line: string) =>
    line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ")
      ? "file"
      : line.startsWith("+")
        ? "add"
        : line.startsWith("-")
          ? "del"
          : line.startsWith("@@")
            ? "hunk"
            : "";
  return html`${diff.split("\n").map((line) => html`<span class="${kind(line)}">${line}</span>${"\n"}`)}`;
}

export function stepSummary(step: Event<"step">): string {
  const added = step.files.reduce((sum, file) => sum + file.added, 0);
  const removed = step.files.reduce((sum, file) => sum + file.removed, 0);
  return `+${added} −${removed} in ${formatCount(step.files.length, "file")}`;
}

/** A delivered step: its files and its diff, collapsed. */
export function deliveredStep(step: Event<"step">, index: number): Html {
  return html`<li>
    <strong>${step.title}</strong> · <code>${step.sha.slice(0, 12)}</code> · ${stepSummary(step)}
    <ul class="files">
      ${step.files.map((file) => html`<li><code>${file.path}</code> +${file.added} −${file.removed}</li>`)}
    </ul>
    ${output(`step-${index}-diff`, "diff", diffLines(step.diff))}
  </li>`;
}

/** One event of the timeline; `id` prefixes the ids of its collapsible outputs. */
export function eventLine(event: TrajectoryEvent, id: string): Html {
  switch (event.kind) {
    case "model":
      return html`<span class="kind">model</span> ${event.promptTokens} prompt (${event.cachedPromptTokens}
        cached) + ${event.completionTokens} completion tokens · ${usd(event.costUsd)} ·
        ${seconds(event.durationMs)}
        ${event.toolCalls.length ? html` · asked for ${event.toolCalls.map((c) => c.name).join(", ")}` : ""}
        ${output(`${id}-sent`, "sent (added since the previous call)", event.sent.map((m) => `[${m.role}]\n${m.text}`).join("\n\n"))}
        ${output(`${id}-answer`, "answer", event.text)}
        ${output(`${id}-calls`, "tool calls", event.toolCalls.map((c) => `${c.name} ${c.arguments}`).join("\n"))}`;
    case "tool":
      return html`<span class="kind">${event.command ? "command" : "tool"}</span>
        <code>${event.name}</code>
        ${event.command ? html`<code>${event.command.command}</code> → exit ${event.command.exitCode ?? "none"}${event.command.timedOut ? " (timed out)" : ""}` : ""}
        · ${seconds(event.durationMs)} ${output(`${id}-args`, "arguments", event.arguments)}
        ${output(`${id}-result`, "result", event.output)}`;
    case "gate":
      return html`<span class="kind">gate</span> ${event.gate}:
        <span class="${event.status}">${event.status}</span> — ${event.detail}
        ${event.evidence.map((item, index) => output(`${id}-evidence-${index}`, item.title, item.text))}`;
    case "step":
      return html`<span class="kind">step</span> delivered “${event.title}” (${stepSummary(event)}) ·
        <code>${event.sha.slice(0, 12)}</code> · <a href="#steps">its diff</a>`;
    case "plan":
      return html`<span class="kind">plan</span> ${event.steps.filter((s) => s.status === "done").length} of
        ${formatCount(event.steps.length, "step")} done`;
    case "note":
      return html`<span class="kind">note</span>
        ${output(`${id}-note`, event.text.split("\n")[0]!.slice(0, 160), event.text)}`;
    case "verdict":
      return html`<span class="kind">verdict</span>
        <span class="${event.conclusion}">${event.headline}</span>
        ${output(`${id}-detail`, "detail", event.detail, true)}`;
  }
}
