import type { GateResult } from "../jobs/run-log.ts";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";

/**
 * The diff itself against the path rules, whatever tool made the change: a command can write where
 * the file tools may not, so this check is on the result, not on the tools.
 */
export function pathsGate(files: ReadonlyArray<{ path: string }>, policy: PathPolicy): GateResult {
  const violations = files.flatMap((file) => {
    const reason = policy.writeViolation(file.path);
    return reason ? [{ path: file.path, message: `Changed a path that is ${reason}.` }] : [];
  });
  if (violations.length === 0)
    return { gate: "paths", status: "passed", detail: `${files.length} changed files, all writable` };
  return {
    gate: "paths",
    status: "failed",
    detail: violations.map((v) => `\`${v.path}\`: ${v.message}`).join("; "),
    files: violations,
  };
}

/** Why the change needs a human before it may merge, one entry per file that does. */
export function reviewReasons(
  files: ReadonlyArray<{ path: string }>,
  policy: PathPolicy,
): Array<{ path: string; reason: string }> {
  return files.flatMap((file) => {
    const reason = policy.reviewReason(file.path);
    return reason ? [{ path: file.path, reason }] : [];
  });
}
