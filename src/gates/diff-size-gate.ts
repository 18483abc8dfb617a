import type { GateResult } from "../agent/run-log.ts";

export function diffLines(files: ReadonlyArray<{ added: number; removed: number }>): number {
  return files.reduce((sum, file) => sum + file.added + file.removed, 0);
}

/** No pull request exceeds `gates.max_diff_lines` changed lines (added + removed). */
export function diffSizeGate(
  files: ReadonlyArray<{ added: number; removed: number }>,
  maxLines: number,
): GateResult {
  const lines = diffLines(files);
  return lines <= maxLines
    ? { gate: "diff size", status: "passed", detail: `${lines} of at most ${maxLines} lines` }
    : { gate: "diff size", status: "failed", detail: `${lines} lines, over the limit of ${maxLines}` };
}
