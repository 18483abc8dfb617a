import { lstatSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { RepositoryRoot } from "./detect-test-command.ts";

const MAX_READ_BYTES = 256 * 1024;

/**
 * The names at a workspace's root and a reader for its regular files, for test-command detection.
 * A symlink or an oversized file reads as absent: detection never follows the repository out of
 * its tree.
 */
export async function readRepositoryRoot(dir: string): Promise<RepositoryRoot> {
  const files = new Set(await readdir(dir));
  return {
    files,
    read: (file) => {
      if (!files.has(file)) return undefined;
      const full = path.join(dir, file);
      try {
        const stat = lstatSync(full);
        if (!stat.isFile() || stat.size > MAX_READ_BYTES) return undefined;
        return readFileSync(full, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}
