import { z } from "zod";
import { runLint } from "../../gates/lint-gate.ts";
import { checkPathAccess } from "../../guardrails/paths/check-path-access.ts";
import { defineTool, ToolError, type ToolContext } from "./tool.ts";
import { readWorkspaceFile, writeWorkspaceFile } from "./workspace-files.ts";

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
    const { absolute: file, relative } = await checkPathAccess(
      context.workspace,
      args.path,
      "read",
      context.paths,
    );
    const content = await readWorkspaceFile(file, args.path);
    const lines = content.split("\n");
    const start = args.start_line ?? 1;
    const end = Math.min(args.end_line ?? start + DEFAULT_READ_LINES - 1, lines.length);
    if (start > lines.length) throw new ToolError(`${args.path} has only ${lines.length} lines`);
    let text = lines.slice(start - 1, end).join("\n");
    if (text.length > MAX_READ_BYTES)
      text = `${text.slice(0, MAX_READ_BYTES)}\n[… cut: read a smaller range …]`;
    const more = end < lines.length ? ` (more: start_line=${end + 1})` : "";
    return {
      output: `${relative}: lines ${start}-${end} of ${lines.length}${more}\n${context.redact(text)}`,
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
    const { absolute: file, relative } = await checkPathAccess(
      context.workspace,
      args.path,
      "write",
      context.paths,
    );
    await writeWorkspaceFile(file, args.path, args.content);
    return {
      output: `wrote ${relative} (${args.content.split("\n").length} lines)${await lintFeedback(context, relative)}`,
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
    const { absolute: file, relative } = await checkPathAccess(
      context.workspace,
      args.path,
      "write",
      context.paths,
    );
    const content = await readWorkspaceFile(file, args.path).catch((error: unknown) => {
      if (error instanceof ToolError && error.message.endsWith("does not exist"))
        throw new ToolError(`${args.path} does not exist (use write_file to create it)`);
      throw error;
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
    await writeWorkspaceFile(file, args.path, updated);
    return {
      output: `edited ${relative} (${occurrences} replacement(s))${await lintFeedback(context, relative)}`,
    };
  },
});

/** Runs the configured lint commands on the file just edited; failures go back to the model at once. */
async function lintFeedback(context: ToolContext, relative: string): Promise<string> {
  const failures = await runLint(context.config.gates.lint, [relative], {
    sandbox: context.sandbox,
    cwd: context.workspace,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  if (failures.length === 0) return "";
  return failures
    .map(
      (f) =>
        `\nLint failed: \`${f.command}\` exited ${f.exitCode ?? "(timed out)"}:\n${context.redact(f.output)}`,
    )
    .join("");
}
