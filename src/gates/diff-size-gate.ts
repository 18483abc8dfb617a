import type { GateResult } from "../jobs/run-log.ts";

export function diffLines(files: ReadonlyArray<{ added: number; removed: number }>): number {
  return files.reduce((sum, file) => sum + file.added + file.removed, 0);
}

/** What the model is told when a step is over the limit: how to deliver it instead. */
export const DIFF_LIMIT_ADVICE =
  "Deliver the work as ordered steps of at most that size: call commit_step with `paths` naming a part that stands on its own (code with its tests), then the next part, and finish with the rest. A single file over the limit must be split into smaller files or changes.";

/** The diff size verdict on a step, and when it is over the limit, what the model is told. */
export interface DiffSizeVerdict {
  gate: GateResult;
  /** Set when the step is refused: the message that tells the model why and what to do instead. */
  refusal: string | undefined;
}

/**
 * No pull request exceeds `gates.max_diff_lines` changed lines (added + removed). The one place the
 * limit is judged: step delivery asks this before it commits, refuses a step over the limit with
 * `refusal`, and shows `gate` on the check run and in the pull request either way.
 */
export function judgeDiffSize(
  files: ReadonlyArray<{ path: string; added: number; removed: number }>,
  maxLines: number,
): DiffSizeVerdict {
  const lines = diffLines(files);
  if (lines <= maxLines) {
    return {
      gate: { gate: "diff size", status: "passed", detail: `${lines} of at most ${maxLines} lines` },
      refusal: undefined,
    };
  }
  const gate: GateResult = {
    gate: "diff size",
    status: "failed",
    detail: `the change is ${lines} lines; the limit is ${maxLines} (\`gates.max_diff_lines\`) — deliver it as steps`,
    fix: "Ask for the work in smaller parts (the agent may deliver stacked steps, each under the limit), or raise `gates.max_diff_lines` in `.github/agent.yml`.",
    files: files.map((f) => ({ path: f.path, message: `+${f.added} −${f.removed}` })),
  };
  const refusal = [
    `The diff size gate failed: ${gate.detail}.`,
    `Changed: ${files.map((f) => `${f.path} (+${f.added} −${f.removed})`).join(", ")}.`,
    DIFF_LIMIT_ADVICE,
  ].join("\n");
  return { gate, refusal };
}
