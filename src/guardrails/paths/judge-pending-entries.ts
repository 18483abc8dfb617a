import { formatSize } from "./format-size.ts";

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
 * What git must never be asked to store: an embedded repository or anything named `.git` below
 * the root (git refuses such a name, and the settings in it would run), and files too large to
 * deliver. One entry per offending path, with why.
 */
export function judgePendingEntries(
  entries: readonly PendingEntry[],
): Array<{ path: string; message: string }> {
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
  return [...violations].map(([path, message]) => ({ path, message }));
}
