import path from "node:path";
import type { BaseEntry } from "../base-tree.ts";
import type { Workspace } from "../workspace.ts";

/** A file a repository's toolchain files could plausibly be; anything larger is not one. */
const MAX_TOOLCHAIN_FILE = 1_000_000;
/** Links followed from a named file to the file it stands for, at most. */
const MAX_LINKS = 8;

/**
 * The root file names of the base branch and the text of the named ones, read from git without a
 * checkout: the declared toolchains come from the default branch, never from what an agent
 * committed on a follow-up job's branch. Only files are read (a directory named `.nvmrc` declares
 * nothing); a named file that is a symbolic link reads as the file it points to in the same tree,
 * as nvm or pyenv would read it (`.nvmrc -> .node-version`), and as no declaration when it points
 * out of the tree or at nothing. A file git fails to read is an error, never a silently missing
 * declaration.
 */
export async function readBaseFiles(
  workspace: Pick<Workspace, "git" | "baseTree">,
  names: readonly string[],
): Promise<{ files: Set<string>; read: (name: string) => string | undefined }> {
  const entries = await workspace.baseTree();
  // The root's names: its files, and the directories the deeper paths start with.
  const files = new Set(entries.map((entry) => entry.path.split("/", 1)[0]!));
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const readBlob = (entry: BaseEntry) => workspace.git.raw(["cat-file", "blob", entry.object]);
  const texts = new Map<string, string>();
  for (const name of names) {
    const entry = await fileBehind(byPath.get(name), byPath, readBlob);
    if (!entry) continue;
    const text = await readBlob(entry);
    if (text.length <= MAX_TOOLCHAIN_FILE) texts.set(name, text);
  }
  return { files, read: (name) => texts.get(name) };
}

/** The regular file `entry` is or links to within the tree; undefined for anything else. */
async function fileBehind(
  entry: BaseEntry | undefined,
  byPath: ReadonlyMap<string, BaseEntry>,
  readBlob: (entry: BaseEntry) => Promise<string>,
): Promise<BaseEntry | undefined> {
  for (let links = 0; entry && links <= MAX_LINKS; links += 1) {
    if (entry.type !== "blob") return undefined;
    if (entry.mode !== "120000") return entry;
    // The link's target, relative to its own directory; one that leaves the tree names nothing.
    const written = await readBlob(entry);
    if (written.startsWith("/")) return undefined;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(entry.path), written));
    if (target === ".." || target.startsWith("../")) return undefined;
    entry = byPath.get(target);
  }
  return undefined;
}
