import type { Workspace } from "../workspace.ts";

/** A file a repository's toolchain files could plausibly be; anything larger is not one. */
const MAX_TOOLCHAIN_FILE = 1_000_000;

/**
 * The root file names of the base branch and the text of the named ones, read from git without a
 * checkout: the declared toolchains come from the default branch, never from what an agent
 * committed on a follow-up job's branch. Only files are read (a directory named `.nvmrc` declares
 * nothing); a file git fails to read is an error, never a silently missing declaration.
 */
export async function readBaseFiles(
  workspace: Pick<Workspace, "git" | "baseBranch" | "baseTree">,
  names: readonly string[],
): Promise<{ files: Set<string>; read: (name: string) => string | undefined }> {
  const ref = `refs/heads/${workspace.baseBranch}`;
  const entries = await workspace.baseTree();
  // The root's names: its files, and the directories the deeper paths start with.
  const files = new Set(entries.map((entry) => entry.path.split("/", 1)[0]!));
  const texts = new Map<string, string>();
  const named = entries.filter((entry) => entry.type === "blob" && names.includes(entry.path));
  for (const { path: name } of named) {
    const text = await workspace.git.raw(["cat-file", "blob", `${ref}:${name}`]);
    if (text.length <= MAX_TOOLCHAIN_FILE) texts.set(name, text);
  }
  return { files, read: (name) => texts.get(name) };
}
