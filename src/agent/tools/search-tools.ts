import { execa } from "execa";
import { z } from "zod";
import { displayPath, resolveWorkspacePath } from "../../guardrails/resolve-workspace-path.ts";
import { defineTool, ToolError } from "./tool.ts";

const MAX_LISTED_FILES = 500;
const MAX_MATCHES = 200;

/** ripgrep respects .gitignore and skips .git, which is what the agent should see. */
async function ripgrep(args: string[], cwd: string): Promise<string[]> {
  const result = await execa("rg", args, { cwd, reject: false, maxBuffer: 20_000_000, stdin: "ignore" });
  if (result.failed && result.exitCode === undefined) {
    throw new ToolError("ripgrep (rg) is not available on the app host; install it (see README)");
  }
  // rg exits 1 when nothing matched, 2 on a bad pattern.
  if (result.exitCode === 2) throw new ToolError(`search failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").filter(Boolean);
}

function withoutDotSlash(line: string): string {
  return line.startsWith("./") ? line.slice(2) : line;
}

export const listFilesTool = defineTool({
  name: "list_files",
  description:
    "List files in the repository (respecting .gitignore), optionally under a directory and/or matching a glob.",
  parameters: z.object({
    path: z.string().optional().describe("Directory relative to the repository root; default the root."),
    glob: z.string().optional().describe('e.g. "**/*.ts"'),
  }),
  async run(args, context) {
    const dir = await resolveWorkspacePath(context.workspace, args.path ?? ".");
    const files = await ripgrep(
      [
        "--files",
        "--hidden",
        "--glob",
        "!.git",
        ...(args.glob ? ["--glob", args.glob] : []),
        "--",
        displayPath(context.workspace, dir),
      ],
      context.workspace,
    );
    const shown = files.map(withoutDotSlash).sort();
    const extra =
      shown.length > MAX_LISTED_FILES
        ? `\n[… ${shown.length - MAX_LISTED_FILES} more; narrow the path or glob]`
        : "";
    return { output: shown.length ? shown.slice(0, MAX_LISTED_FILES).join("\n") + extra : "(no files)" };
  },
});

export const searchFilesTool = defineTool({
  name: "search_files",
  description: "Search file contents with a regular expression (ripgrep syntax). Returns path:line:text.",
  parameters: z.object({
    pattern: z.string().min(1),
    path: z.string().optional(),
    glob: z.string().optional(),
    ignore_case: z.boolean().optional(),
  }),
  async run(args, context) {
    const dir = await resolveWorkspacePath(context.workspace, args.path ?? ".");
    const matches = await ripgrep(
      [
        "--line-number",
        "--no-heading",
        "--color=never",
        "--hidden",
        "--glob",
        "!.git",
        "--max-columns=300",
        ...(args.ignore_case ? ["--ignore-case"] : []),
        ...(args.glob ? ["--glob", args.glob] : []),
        "--regexp",
        args.pattern,
        "--",
        displayPath(context.workspace, dir),
      ],
      context.workspace,
    );
    const shown = matches.map(withoutDotSlash);
    const extra =
      shown.length > MAX_MATCHES ? `\n[… ${shown.length - MAX_MATCHES} more matches; narrow the search]` : "";
    return {
      output: shown.length ? context.redact(shown.slice(0, MAX_MATCHES).join("\n") + extra) : "(no matches)",
    };
  },
});
