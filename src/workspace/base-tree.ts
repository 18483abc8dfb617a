import type { Git } from "../git.ts";

/** A file of the base branch as git lists it. */
export interface BaseEntry {
  /** `100644`, `100755`, `120000` (a symbolic link), `160000` (a submodule). */
  mode: string;
  /** `blob`, or `commit` for a submodule. */
  type: string;
  /** The object's id: a file's text, or a link's target. */
  object: string;
  path: string;
}

/**
 * The base branch's files, listed by the first step that asks and kept for the job: the toolchain
 * files and the prompt's file list both come from this one `git ls-tree`, never from the working
 * tree (which a follow-up job starts on the agent's own branch).
 */
export function baseTreeOf(git: Git, baseBranch: string): () => Promise<readonly BaseEntry[]> {
  let listing: Promise<readonly BaseEntry[]> | undefined;
  return () => (listing ??= list(git, `refs/heads/${baseBranch}`));
}

async function list(git: Git, ref: string): Promise<readonly BaseEntry[]> {
  // `<mode> <type> <object>\t<path>`, NUL-terminated so a name git would quote is read as it is.
  return (await git.raw(["ls-tree", "-r", "-z", ref]))
    .split("\0")
    .filter(Boolean)
    .map((entry) => {
      const tab = entry.indexOf("\t");
      const [mode = "", type = "", object = ""] = entry.slice(0, tab).split(" ");
      return { mode, type, object, path: entry.slice(tab + 1) };
    });
}
