import type { DeliveredStep } from "../jobs/run-log.ts";
import type { CheckConclusion } from "../forge/forge.ts";
import { unverifiedGates } from "./render-guardrails.ts";

/**
 * The job's verdict once its pull requests are open: human review when any step needs it, neutral
 * when any step's tests could not be verified (with the reason and the fix), success otherwise.
 */
export function publishedVerdict(
  published: ReadonlyArray<{ step: DeliveredStep; pull: { number: number } }>,
  summary: string,
): { conclusion: CheckConclusion; headline: string; detail: string } {
  const numbers = published.map((p) => `#${p.pull.number}`).join(", ");
  const needsReview = published.flatMap((p) => p.step.reviewReasons);
  const unverified = published.flatMap((p) => unverifiedGates(p.step.gates));
  const unverifiedText = unverified.map(
    (gate) => `**${gate.gate} not verified:** ${gate.detail}.${gate.fix ? ` ${gate.fix}` : ""}`,
  );
  if (needsReview.length > 0) {
    return {
      conclusion: "action_required",
      headline: `opened ${numbers}: needs human review`,
      detail: [
        summary,
        `Opened as a draft labelled \`needs-human-review\`, because:\n${needsReview.map((r) => `- \`${r.path}\`: ${r.reason}`).join("\n")}`,
        ...unverifiedText,
      ].join("\n\n"),
    };
  }
  if (unverified.length > 0) {
    return {
      conclusion: "neutral",
      headline: `opened ${numbers}: tests not verified`,
      detail: [summary, ...unverifiedText].join("\n\n"),
    };
  }
  return { conclusion: "success", headline: `opened ${numbers}`, detail: summary };
}
