import { readdir } from "node:fs/promises";
import path from "node:path";

export interface WorkspaceEntry {
  /**
   * Relative to the workspace, `/`-separated. A name that is not valid UTF-8 reads with U+FFFD in
   * place of its odd bytes: such a path may name nothing, or another file (see listWorkspaceEntries).
   */
  relative: string;
  isDirectory: boolean;
  /** A symbolic link (never a directory here, whatever it points to: it is not walked into). */
  isSymbolicLink: boolean;
}

/**
 * Every file and directory in the workspace except `.git`, pruning directories `stop` claims (a
 * hidden directory is hidden whole, so its contents need not be listed). Directories are walked by
 * their names' bytes, never by the names as read: `x<0xff>` reads as `x\uFFFD`, which may be the
 * name of a link elsewhere, and the walk must not follow it there.
 */
export async function listWorkspaceEntries(
  root: string,
  stop: (entry: WorkspaceEntry) => boolean = () => false,
): Promise<WorkspaceEntry[]> {
  const entries: WorkspaceEntry[] = [];
  const walk = async (dir: Buffer, relativeDir: string): Promise<void> => {
    for (const dirent of await readdir(dir, { withFileTypes: true, encoding: "buffer" })) {
      const name = dirent.name.toString();
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      if (relative === ".git") continue;
      const entry = { relative, isDirectory: dirent.isDirectory(), isSymbolicLink: dirent.isSymbolicLink() };
      entries.push(entry);
      if (entry.isDirectory && !stop(entry))
        await walk(Buffer.concat([dir, Buffer.from(path.sep), dirent.name]), relative);
    }
  };
  await walk(Buffer.from(root), "");
  return entries;
}
