import type { GateResult } from "../jobs/run-log.ts";
import { judgePendingEntries, type PendingEntry } from "../guardrails/paths/judge-pending-entries.ts";

/**
 * Judges what a step would add before git touches it (see judgePendingEntries), as the paths gate
 * the model and the check run see. Undefined when all is well.
 */
export function pendingEntriesGate(entries: readonly PendingEntry[]): GateResult | undefined {
  const files = judgePendingEntries(entries);
  if (files.length === 0) return undefined;
  return {
    gate: "paths",
    status: "failed",
    detail: files.map((v) => `\`${v.path}\`: ${v.message}`).join("; "),
    files,
  };
}
