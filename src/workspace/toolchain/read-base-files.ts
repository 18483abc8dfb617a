import type { Workspace } from "../workspace.ts";

/**
 * The root file names of the base branch and the text of the named ones, read from git without a
 * checkout: the declared toolchains come from the default branch, never from what an agent
 * committed on a follow-up job's branch.
 */
export async function readBaseFiles(
  workspace: Pick<Workspace, "git" | "baseBranch">,
  names: readonly string[],
): Promise<{ files: Set<string>; read: (name: string) => string | undefined }> {
  const ref = `refs/heads/${workspace.baseBranch}`;
  const listing = await workspace.git.raw(["ls-tree", "--name-only", "-z", ref]);
  const files = new Set(listing.split("\0").filter(Boolean));
  const texts = new Map<string, string>();
  for (const name of names.filter((file) => files.has(file))) {
    const text = await workspace.git.raw(["cat-file", "blob", `${ref}:${name}`]).catch(() => undefined);
    // A toolchain file is a few lines; anything huge is not one.
    if (text !== undefined && text.length <= 1_000_000) texts.set(name, text);
  }
  return { files, read: (name) => texts.get(name) };
}
