import { readdir } from "node:fs/promises";
import path from "node:path";

export interface WorkspaceEntry {
  /** Relative to the workspace, `/`-separated. */
  relative: string;
  isDirectory: boolean;
  /** A symbolic link (never a directory here, whatever it points to: it is not walked into). */
  isSymbolicLink: boolean;
}

/**
 * Every file and directory in the workspace except `.git`, pruning directories `stop` claims (a
 * hidden directory is hidden whole, so its contents need not be listed).
 */
export async function listWorkspaceEntries(
  root: string,
  stop: (entry: WorkspaceEntry) => boolean = () => false,
): Promise<WorkspaceEntry[]> {
  const entries: WorkspaceEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, dirent.name);
      const relative = path.relative(root, absolute).split(path.sep).join("/");
      if (relative === ".git") continue;
      const entry = { relative, isDirectory: dirent.isDirectory(), isSymbolicLink: dirent.isSymbolicLink() };
      entries.push(entry);
      if (entry.isDirectory && !stop(entry)) await walk(absolute);
    }
  };
  await walk(root);
  return entries;
}
