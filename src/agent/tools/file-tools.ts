import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { displayPath, resolveWorkspacePath } from "../../guardrails/resolve-workspace-path.ts";
import { defineTool, ToolError } from "./tool.ts";

/** Lines returned by one read when the model does not ask for a range. */
const DEFAULT_READ_LINES = 400;
const MAX_READ_BYTES = 100_000;
const MAX_WRITE_BYTES = 1_000_000;

export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a text file from the repository. Large files are paged: pass start_line/end_line (1-based, inclusive) to read more.",
  parameters: z.object({
    path: z.string().min(1).describe("Path relative to the repository root."),
    start_line: z.int().min(1).optional(),
    end_line: z.int().min(1).optional(),
  }),
  async run(args, context) {
    const file = await resolveWorkspacePath(context.workspace, args.path);
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new ToolError(`${args.path} does not exist`);
    if (!info.isFile()) throw new ToolError(`${args.path} is not a file (use list_files for directories)`);
    const content = await readFile(file, "utf8");
    const lines = content.split("\n");
    const start = args.start_line ?? 1;
    const end = Math.min(args.end_line ?? start + DEFAULT_READ_LINES - 1, lines.length);
    if (start > lines.length) throw new ToolError(`${args.path} has only ${lines.length} lines`);
    let text = lines.slice(start - 1, end).join("\n");
    if (text.length > MAX_READ_BYTES)
      text = `${text.slice(0, MAX_READ_BYTES)}\n[… cut: read a smaller range …]`;
    const more = end < lines.length ? ` (more: start_line=${end + 1})` : "";
    return {
      output: `${displayPath(context.workspace, file)}: lines ${start}-${end} of ${lines.length}${more}\n${context.redact(text)}`,
    };
  },
});

export const writeFileTool = defineTool({
  name: "write_file",
  description: "Create a file or replace its whole content. Prefer edit_file for changes to existing files.",
  parameters: z.object({
    path: z.string().min(1).describe("Path relative to the repository root."),
    content: z.string().max(MAX_WRITE_BYTES),
  }),
  async run(args, context) {
    const file = await resolveWorkspacePath(context.workspace, args.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, args.content);
    return {
      output: `wrote ${displayPath(context.workspace, file)} (${args.content.split("\n").length} lines)`,
    };
  },
});

export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace an exact piece of text in a file. old_string must match exactly once (include surrounding lines to make it unique) unless replace_all is true.",
  parameters: z.object({
    path: z.string().min(1),
    old_string: z.string().min(1),
    new_string: z.string(),
    replace_all: z.boolean().optional(),
  }),
  async run(args, context) {
    const file = await resolveWorkspacePath(context.workspace, args.path);
    const content = await readFile(file, "utf8").catch(() => {
      throw new ToolError(`${args.path} does not exist (use write_file to create it)`);
    });
    const occurrences = content.split(args.old_string).length - 1;
    if (occurrences === 0)
      throw new ToolError(`old_string was not found in ${args.path}; read the file again`);
    if (occurrences > 1 && !args.replace_all) {
      throw new ToolError(
        `old_string occurs ${occurrences} times in ${args.path}; add context to make it unique or set replace_all`,
      );
    }
    const updated = args.replace_all
      ? content.split(args.old_string).join(args.new_string)
      : content.replace(args.old_string, () => args.new_string);
    await writeFile(file, updated);
    return { output: `edited ${displayPath(context.workspace, file)} (${occurrences} replacement(s))` };
  },
});
