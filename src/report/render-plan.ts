import type { PlanStep } from "../jobs/run-log.ts";

/** The agent's plan as a Markdown task list; the step in progress is marked. */
export function renderPlan(plan: readonly PlanStep[]): string {
  if (plan.length === 0) return "_The agent has not stated a plan yet._";
  return plan
    .map((step) => {
      const box = step.status === "done" ? "[x]" : "[ ]";
      const marker = step.status === "in_progress" ? " ← in progress" : "";
      return `- ${box} ${escapeMarkdownLine(step.title)}${marker}`;
    })
    .join("\n");
}

/** Keeps model-written text on one line and unable to open HTML or mention everyone. */
export function escapeMarkdownLine(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/</g, "&lt;")
    .replace(/@(?=\w)/g, "@\u200b");
}
