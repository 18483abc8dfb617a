import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import type { Git } from "../git.ts";
import type { PendingEntry } from "../guardrails/paths/judge-pending-entries.ts";

/**
 * The one reader of git's change lists. Every listing is asked for NUL-separated (`-z`): without
 * it git quotes names with non-ASCII bytes, quotes, tabs or newlines (`"k\303\251.pem"`), and a
 * rule compared against the quoted form judges a name that does not exist. Plumbing commands are
 * used where porcelain would read settings (`diff.ignoreSubmodules`) that change what is listed.
 */

export interface FileChange {
  path: string;
  added: number;
  removed: number;
}

/** Fields of NUL-separated git output; the trailing NUL leaves no empty last field. */
export function splitNul(output: string): string[] {
  const fields = output.split("\0");
  if (fields.at(-1) === "") fields.pop();
  return fields;
}

/** Parses `--numstat -z` without renames: `added\tremoved\tpath\0` per file. */
export function parseNumstat(output: string): FileChange[] {
  return splitNul(output).map((record) => {
    const [added = "0", removed = "0"] = record.split("\t", 2);
    const path = record.slice(added.length + removed.length + 2);
    // Binary files count as one line.
    return { path, added: added === "-" ? 1 : Number(added), removed: removed === "-" ? 0 : Number(removed) };
  });
}

/** Parses `--raw -z` without renames: `:old new oldsha newsha status\0path\0` per file. */
export function parseRaw(output: string): Array<{ path: string; oldMode: string; newMode: string }> {
  const fields = splitNul(output);
  const entries = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode = "", newMode = ""] = fields[i]!.replace(/^:/, "").split(" ");
    entries.push({ path: fields[i + 1]!, oldMode, newMode });
  }
  return entries;
}

/** The staged change relative to `against`, per file. */
export async function stagedChanges(git: Git, against: string): Promise<FileChange[]> {
  return parseNumstat(
    await git.raw(["diff-index", "--cached", "--numstat", "-z", "--no-renames", against, "--"]),
  );
}

/** Staged paths that are (or become) gitlinks: an embedded repository recorded as a commit id. */
export async function stagedGitlinks(git: Git, against: string): Promise<string[]> {
  const raw = parseRaw(
    await git.raw(["diff-index", "--cached", "--raw", "-z", "--no-renames", against, "--"]),
  );
  return raw.filter((entry) => entry.newMode === "160000" && entry.oldMode !== "160000").map((e) => e.path);
}

/**
 * What `git add --all` would pick up: untracked files that are not ignored, and tracked files
 * changed in the working tree. An embedded repository shows as its directory, with a trailing `/`.
 * `skipped` are directories git passes over without listing a file in them: a directory whose
 * `.git` file points nowhere is one, and the caller must look inside.
 */
export async function pendingPaths(git: Git): Promise<{ paths: string[]; skipped: string[] }> {
  const [untracked, directories, modified] = await Promise.all([
    git.raw(["ls-files", "-z", "--others", "--exclude-standard"]),
    git.raw(["ls-files", "-z", "--others", "--exclude-standard", "--directory"]),
    git.raw(["diff-files", "--name-only", "-z", "--ignore-submodules=all"]),
  ]);
  const paths = [...new Set([...splitNul(untracked), ...splitNul(modified)])];
  const skipped = splitNul(directories).filter(
    (dir) => dir.endsWith("/") && !paths.some((file) => file.startsWith(dir)),
  );
  return { paths, skipped };
}

/**
 * Every pending path with its size, plus the `.git` inside each directory git skipped (a `.git`
 * file pointing nowhere makes git pass over its directory in silence).
 */
export async function pendingEntries(git: Git, dir: string): Promise<PendingEntry[]> {
  const { paths, skipped } = await pendingPaths(git);
  const sizeOf = (file: string) =>
    lstat(path.join(dir, file)).then(
      (info) => info.size,
      () => 0,
    );
  const entries = await Promise.all(
    paths.map(async (file) => ({ path: file, size: file.endsWith("/") ? 0 : await sizeOf(file) })),
  );
  for (const skippedDir of skipped) {
    const names = await readdir(path.join(dir, skippedDir)).catch(() => [] as string[]);
    const gitName = names.find((name) => name.toLowerCase() === ".git");
    if (gitName) entries.push({ path: `${skippedDir}${gitName}`, size: 0 });
  }
  return entries;
}
