import type { Git } from "../git.ts";

/**
 * A file's content and mode at a commit, or undefined when the commit's tree has no such file.
 * Presence is read from the tree, never inferred from a failed read: any git error (a lock, a
 * missing object) propagates, so an unreadable old version never passes for a new file.
 */
export async function readBlobAt(
  git: Git,
  sha: string,
  file: string,
): Promise<{ mode: string; text: string } | undefined> {
  // NUL-terminated, so a name git would quote still matches.
  const entry = await git.raw(["ls-tree", "-z", sha, "--", file]);
  const match = /^(\d+) blob ([0-9a-f]+)\t/.exec(entry);
  if (!match) return undefined;
  return { mode: match[1]!, text: await git.raw(["cat-file", "blob", match[2]!]) };
}
