import type { GateResult } from "../jobs/run-log.ts";

export function diffLines(files: ReadonlyArray<{ added: number; removed: number }>): number {
  return files.reduce((sum, file) => sum + file.added + file.removed, 0);
}

/** What the model is told when a step is over the limit: how to deliver it instead. */
export const DIFF_LIMIT_ADVICE =
  "Deliver the work as ordered steps of at most that size: call commit_step with `paths` naming a part that stands on its own (code with its tests), then the next part, and finish with the rest. A single file over the limit must be split into smaller files or changes.";

/**
 * No pull request exceeds `gates.max_diff_lines` changed lines (added + removed). The one place the
 * limit is judged: a step over it is refused before it is committed, and this verdict is what the
 * model, the check run and the job's summary all show.
 */
export function diffSizeGate(
  files: ReadonlyArray<{ path: string; added: number; removed: number }>,
  maxLines: number,
): GateResult {
  const lines = diffLines(files);
  if (lines <= maxLines)
    return { gate: "diff size", status: "passed", detail: `${lines} of at most ${maxLines} lines` };
  return {
    gate: "diff size",
    status: "failed",
    detail: `the change is ${lines} lines; the limit is ${maxLines} (\`gates.max_diff_lines\`) — deliver it as steps`,
    fix: "Ask for the work in smaller parts (the agent may deliver stacked steps, each under the limit), or raise `gates.max_diff_lines` in `.github/agent.yml`.",
    files: files.map((f) => ({ path: f.path, message: `+${f.added} −${f.removed}` })),
  };
}
