import { limitText } from "./fence-untrusted.ts";

/** What the repository tells the agent before it starts: its conventions and its shape. */
export interface RepositoryContext {
  /** Instruction files from the default branch, by path (AGENTS.md files, CONTRIBUTING.md, …). */
  instructionFiles: Array<{ path: string; text: string }>;
  /** The `instructions:` text of `.github/agent.yml`. */
  configInstructions: string | undefined;
  /** Every tracked file of the default branch (so `.gitignore`d files are never listed). */
  trackedFiles: string[];
  testCommand: string | undefined;
  lintCommands: string[];
  /** What prepared the workspace before the agent's first turn (empty: nothing ran). */
  setupCommands: string[];
  /** Whether the agent's own commands may reach the network. */
  network: boolean;
}

const MAX_INSTRUCTIONS_CHARS = 24_000;
const TREE_DEPTH = 2;
const MAX_TREE_LINES = 120;

/** The files read as the repository's conventions, in the order they are shown. */
export function isInstructionFile(path: string): boolean {
  return (
    path === "AGENTS.md" ||
    path.endsWith("/AGENTS.md") ||
    path === ".github/copilot-instructions.md" ||
    /^(\.github\/|docs\/)?CONTRIBUTING\.md$/i.test(path)
  );
}

/**
 * The conventions and the overview as text for the first message. AGENTS.md files work
 * nearest-first: each applies to its directory, and a deeper one wins over the root one for files
 * under it, so they are listed root first with their scope.
 */
export function renderRepositoryContext(context: RepositoryContext): string {
  const sections: string[] = [];
  const files = [...context.instructionFiles].sort(
    (a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path),
  );
  let budget = MAX_INSTRUCTIONS_CHARS;
  const shown: string[] = [];
  for (const file of files) {
    if (budget <= 0) {
      shown.push(`(${file.path} left out: the instructions are long; read it with read_file if it matters)`);
      continue;
    }
    const limited = limitText(file.text.trim(), budget);
    budget -= limited.text.length;
    shown.push(`--- ${file.path}${scopeOf(file.path)} ---\n${limited.text}`);
  }
  if (context.configInstructions?.trim()) {
    shown.push(`--- .github/agent.yml instructions ---\n${context.configInstructions.trim()}`);
  }
  if (shown.length > 0) {
    sections.push(
      "The repository's conventions (from its default branch; follow them unless the maintainer says otherwise; where AGENTS.md files disagree, the one nearest to the file you change wins):",
      ...shown,
    );
  }
  sections.push(renderOverview(context));
  return sections.join("\n\n");
}

function rank(path: string): number {
  if (path.endsWith("AGENTS.md")) return path.split("/").length; // root first, then deeper
  if (path.endsWith("copilot-instructions.md")) return 100;
  return 101;
}

function scopeOf(path: string): string {
  if (!path.endsWith("AGENTS.md")) return "";
  const dir = path.slice(0, -"AGENTS.md".length);
  return dir ? ` (applies to ${dir})` : " (applies to the whole repository)";
}

/** The tree (tracked files only, two levels, with file counts), the languages, and the gates' commands. */
export function renderOverview(context: RepositoryContext): string {
  const counts = new Map<string, number>();
  for (const file of context.trackedFiles) {
    const parts = file.split("/");
    for (let depth = 1; depth <= Math.min(TREE_DEPTH, parts.length); depth += 1) {
      const key = parts.slice(0, depth).join("/") + (depth < parts.length ? "/" : "");
      counts.set(key, (counts.get(key) ?? 0) + (depth < parts.length ? 1 : 0));
    }
  }
  const entries = [...counts.keys()].sort();
  const tree = entries.slice(0, MAX_TREE_LINES).map((entry) => {
    const depth = entry.replace(/\/$/, "").split("/").length - 1;
    const name = entry.replace(/\/$/, "").split("/").at(-1)!;
    const isDir = entry.endsWith("/");
    return `${"  ".repeat(depth)}${name}${isDir ? `/ (${counts.get(entry)} files)` : ""}`;
  });
  if (entries.length > MAX_TREE_LINES)
    tree.push(`… ${entries.length - MAX_TREE_LINES} more entries (use list_files)`);
  const languages = languageShares(context.trackedFiles);
  return [
    `Repository overview: ${context.trackedFiles.length} tracked files${languages ? `; languages: ${languages}` : ""}.`,
    tree.join("\n"),
    context.setupCommands.length
      ? `The workspace was set up before you started with: ${context.setupCommands.map((c) => `\`${c}\``).join(", ")}; dependencies are installed.`
      : "No setup command ran (none configured in `setup:`, no lockfile found), so dependencies may be missing.",
    context.network
      ? "Your commands may reach the network."
      : "Your commands have no network: installing new packages fails; say so in your summary if the change needs one.",
    `The harness runs the tests with: ${context.testCommand ? `\`${context.testCommand}\`` : "(no test command configured: gates.tests.command)"}; lint: ${context.lintCommands.length ? context.lintCommands.map((c) => `\`${c}\``).join(", ") : "(none configured)"}.`,
  ].join("\n");
}

const LANGUAGES: Record<string, string> = {
  ts: "TypeScript",
  tsx: "TypeScript",
  js: "JavaScript",
  jsx: "JavaScript",
  mjs: "JavaScript",
  cjs: "JavaScript",
  py: "Python",
  go: "Go",
  rs: "Rust",
  java: "Java",
  kt: "Kotlin",
  rb: "Ruby",
  php: "PHP",
  cs: "C#",
  c: "C",
  h: "C",
  cc: "C++",
  cpp: "C++",
  hpp: "C++",
  swift: "Swift",
  scala: "Scala",
  sh: "Shell",
};

function languageShares(files: string[]): string {
  const byLanguage = new Map<string, number>();
  for (const file of files) {
    const language = LANGUAGES[file.split(".").at(-1)?.toLowerCase() ?? ""];
    if (language) byLanguage.set(language, (byLanguage.get(language) ?? 0) + 1);
  }
  const total = [...byLanguage.values()].reduce((a, b) => a + b, 0);
  return [...byLanguage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([language, count]) => `${language} ${Math.round((count / total) * 100)}%`)
    .join(", ");
}
