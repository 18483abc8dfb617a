import type { GateResult } from "../agent/run-log.ts";
import { formatSize } from "../guardrails/paths/format-size.ts";

/** Larger files are data, not a reviewable change; git would also copy them whole into its store. */
export const MAX_DELIVERED_FILE_BYTES = 20 * 1024 * 1024;

export interface PendingEntry {
  /** As `git ls-files` prints it: `/`-separated, a trailing `/` for an embedded repository. */
  path: string;
  /** Size on disk (of the link itself for a symbolic link). */
  size: number;
}

/** `.git` in any letter case: on a case-insensitive file system `.GIT` is the same directory. */
const GIT_DIR_NAME = /^\.git$/i;

const EMBEDDED =
  "an embedded git repository (a nested `.git`); git would record it as a link to another repository and read its settings, so it is never delivered. Remove it, or keep its files without their `.git`";

/**
 * Judges what a step would add before git touches it: an embedded repository or anything named
 * `.git` below the root (git refuses to store such a name, and the repository's settings in it
 * would run), and files too large to deliver. Undefined when all is well.
 */
export function pendingEntriesGate(entries: readonly PendingEntry[]): GateResult | undefined {
  const violations = new Map<string, string>();
  for (const entry of entries) {
    const parts = entry.path.replace(/\/$/, "").split("/");
    const gitAt = parts.findIndex((part) => GIT_DIR_NAME.test(part));
    if (gitAt >= 0) violations.set(parts.slice(0, gitAt + 1).join("/"), EMBEDDED);
    else if (entry.path.endsWith("/")) violations.set(parts.join("/"), EMBEDDED);
    else if (entry.size > MAX_DELIVERED_FILE_BYTES)
      violations.set(
        entry.path,
        `is ${formatSize(entry.size)}; files over ${formatSize(MAX_DELIVERED_FILE_BYTES)} cannot be delivered. Remove it or add it to .gitignore`,
      );
  }
  if (violations.size === 0) return undefined;
  const files = [...violations].map(([path, message]) => ({ path, message }));
  return {
    gate: "paths",
    status: "failed",
    detail: files.map((v) => `\`${v.path}\`: ${v.message}`).join("; "),
    files,
  };
}
