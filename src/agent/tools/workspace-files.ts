import { constants } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { formatSize } from "../../guardrails/paths/format-size.ts";
import { ToolError } from "./tool.ts";

/**
 * The largest file read_file and edit_file load. Files are read whole into the app's memory, so a
 * huge (or sparse: 3 GB of holes costs no disk) file is refused with its size instead.
 */
export const MAX_TOOL_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a file the path checks resolved, opened with O_NOFOLLOW: if a command swapped the last
 * component for a link since the check, the open fails instead of following it.
 */
export async function readWorkspaceFile(file: string, shown: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new ToolError(`${shown} does not exist`);
      if (error.code === "ELOOP") throw new ToolError(`${shown} is a symbolic link; read its target instead`);
      if (error.code === "EISDIR") throw new ToolError(`${shown} is a directory (use list_files)`);
      throw error;
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ToolError(`${shown} is not a file (use list_files for directories)`);
    if (info.size > MAX_TOOL_FILE_BYTES)
      throw new ToolError(
        `${shown} is ${formatSize(info.size)}; the file tools read files up to ${formatSize(MAX_TOOL_FILE_BYTES)}. Look at parts of it with run_command (\`head\`, \`sed -n '1,200p'\`) or search_files.`,
      );
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** Creates or replaces a file the path checks resolved, never through a link (O_NOFOLLOW). */
export async function writeWorkspaceFile(file: string, shown: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(
    file,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o644,
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ELOOP") throw new ToolError(`${shown} is a symbolic link; write its target instead`);
    if (error.code === "EISDIR") throw new ToolError(`${shown} is a directory`);
    throw error;
  });
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}
