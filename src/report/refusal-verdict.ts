import type { GateResult, RunLog } from "../jobs/run-log.ts";
import type { FailureConclusion } from "../errors.ts";

const HEADLINE_CHARS = 160;

/**
 * A job that failed after its last attempt to deliver was refused ends because of that refusal,
 * whatever stopped it afterwards (turns, budget, a model that stopped answering usefully): the
 * verdict names the refusal first, then what stopped the run. Undefined when the run did not end
 * on a refused step.
 */
export function refusalVerdict(
  log: RunLog,
  stopped: { conclusion: FailureConclusion; headline: string; detail: string | undefined },
): { conclusion: FailureConclusion; headline: string; detail: string } | undefined {
  if (stopped.conclusion === "cancelled") return undefined;
  const refused = (log.lastRejectedGates ?? []).filter((gate) => gate.status === "failed");
  const first = refused[0];
  if (!first) return undefined;
  const headline = `stopped after a refusal: ${first.detail}`;
  return {
    conclusion: stopped.conclusion,
    headline: headline.length > HEADLINE_CHARS ? `${headline.slice(0, HEADLINE_CHARS - 1)}…` : headline,
    detail: [
      ...refused.map(describeRefusal),
      `Then the run ${stopped.headline}.${stopped.detail ? `\n\n${stopped.detail}` : ""}`,
    ].join("\n\n"),
  };
}

function describeRefusal(gate: GateResult): string {
  return `**The ${gate.gate} gate refused the last step:** ${gate.detail}.${gate.fix ? `\n\n**What to do:** ${gate.fix}` : ""}`;
}
