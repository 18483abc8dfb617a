import { execa } from "execa";
import { z } from "zod";
import { checkPathAccess } from "../../guardrails/paths/check-path-access.ts";
import { defineTool, ToolError, type ToolContext } from "./tool.ts";

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

/** `.git` and the forbidden paths never show up in a listing or a search, in any letter case. */
function excludedGlobs(context: ToolContext): string[] {
  return ["!.git", ...context.config.paths.forbidden.map((glob) => `!${glob}`)].flatMap((glob) => [
    "--iglob",
    glob,
  ]);
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
    const { relative } = await checkPathAccess(context.workspace, args.path ?? ".", "read", context.paths);
    const files = await ripgrep(
      [
        "--files",
        "--hidden",
        ...excludedGlobs(context),
        ...(args.glob ? ["--glob", args.glob] : []),
        "--",
        relative || ".",
      ],
      context.workspace,
    );
    const shown = files
      .map(withoutDotSlash)
      .filter((file) => !context.paths.isForbidden(file))
      .sort();
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
    const { relative } = await checkPathAccess(context.workspace, args.path ?? ".", "read", context.paths);
    const matches = await ripgrep(
      [
        "--line-number",
        "--no-heading",
        // A NUL after the path: a path may hold `:` (`x:y/creds.json`), so the text cannot say where it ends.
        "--null",
        "--color=never",
        "--hidden",
        ...excludedGlobs(context),
        "--max-columns=300",
        ...(args.ignore_case ? ["--ignore-case"] : []),
        ...(args.glob ? ["--glob", args.glob] : []),
        "--regexp",
        args.pattern,
        "--",
        relative || ".",
      ],
      context.workspace,
    );
    // Judged again here: ripgrep's globs cannot say everything the rules can (extglobs, a
    // directory's files). A line without its path's end is dropped.
    const shown = matches.map(withoutDotSlash).flatMap((line) => {
      const end = line.indexOf("\0");
      const file = line.slice(0, end);
      return end < 0 || context.paths.isForbidden(file) ? [] : [`${file}:${line.slice(end + 1)}`];
    });
    const extra =
      shown.length > MAX_MATCHES ? `\n[… ${shown.length - MAX_MATCHES} more matches; narrow the search]` : "";
    return {
      output: shown.length ? context.redact(shown.slice(0, MAX_MATCHES).join("\n") + extra) : "(no matches)",
    };
  },
});
