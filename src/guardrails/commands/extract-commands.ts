import type { ShellNode } from "./parse-shell.ts";

/** A word of a simple command: its value when it is fixed text, and its source either way. */
export interface ShellWord {
  /** The word as the command will see it; `undefined` when it depends on expansion at run time. */
  value: string | undefined;
  source: string;
}

/** One program invocation, with wrappers (env, xargs, timeout, …) removed. */
export interface SimpleCommand {
  words: ShellWord[];
  source: string;
}

export interface ExtractedCommands {
  commands: SimpleCommand[];
  /** Each pipeline as its stages, for rules such as `curl | bash`. */
  pipelines: SimpleCommand[][];
  /** Why the line cannot be judged; then it must be refused. */
  unjudgeable: string[];
}

/** Parses a string handed to `sh -c`, `bash -c` or `eval`; undefined when it is not valid bash. */
export type NestedParser = (source: string) => Promise<ShellNode | undefined>;

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"]);
const MAX_NESTING = 5;

/**
 * Walks a bash syntax tree and lists every simple command it would run: in lists, pipelines,
 * subshells, blocks, loops, functions, command and process substitutions, heredocs, and inside the
 * strings given to `sh -c` / `bash -c` / `eval` (parsed again, recursively). Wrappers that only run
 * another command (`env`, `nohup`, `timeout`, `xargs`, `find -exec`, …) are looked through.
 */
export async function extractCommands(
  root: ShellNode,
  parseNested: NestedParser,
  depth = 0,
): Promise<ExtractedCommands> {
  const result: ExtractedCommands = { commands: [], pipelines: [], unjudgeable: [] };
  await visit(root, result, parseNested, depth);
  return result;
}

async function visit(
  node: ShellNode,
  out: ExtractedCommands,
  parseNested: NestedParser,
  depth: number,
): Promise<void> {
  if (node.type === "command") {
    await visitCommand(node, out, parseNested, depth);
    return;
  }
  if (node.type === "pipeline") {
    const stagesBefore = out.commands.length;
    for (const child of node.namedChildren) if (child) await visit(child, out, parseNested, depth);
    out.pipelines.push(out.commands.slice(stagesBefore));
    return;
  }
  for (const child of node.namedChildren) if (child) await visit(child, out, parseNested, depth);
}

async function visitCommand(
  node: ShellNode,
  out: ExtractedCommands,
  parseNested: NestedParser,
  depth: number,
): Promise<void> {
  // Substitutions anywhere in the command (assignments, arguments, redirections) run first.
  for (const child of node.namedChildren) {
    if (child && child.type !== "command_name") await visitSubstitutions(child, out, parseNested, depth);
  }
  const nameNode = node.childForFieldName("name");
  if (!nameNode) return; // Only assignments, e.g. `X=1`.
  await visitSubstitutions(nameNode, out, parseNested, depth);
  const words = [nameNode, ...node.childrenForFieldName("argument")]
    .filter((n): n is ShellNode => n !== null)
    .map(toWord);
  await addCommand(words, out, parseNested, depth);
}

async function visitSubstitutions(
  node: ShellNode,
  out: ExtractedCommands,
  parseNested: NestedParser,
  depth: number,
): Promise<void> {
  if (node.type === "command_substitution" || node.type === "process_substitution") {
    for (const child of node.namedChildren) if (child) await visit(child, out, parseNested, depth);
    return;
  }
  for (const child of node.namedChildren) if (child) await visitSubstitutions(child, out, parseNested, depth);
}

async function addCommand(
  words: ShellWord[],
  out: ExtractedCommands,
  parseNested: NestedParser,
  depth: number,
): Promise<void> {
  const source = words.map((w) => w.source).join(" ");
  const name = words[0];
  if (!name) return;
  if (name.value === undefined) {
    out.unjudgeable.push(`the command name \`${name.source}\` is computed at run time`);
    return;
  }
  const program = basename(name.value);

  // sh -c / bash -c / eval: the string is a command line of its own.
  const script = nestedScript(program, words);
  if (script !== null) {
    if (script === undefined) {
      out.unjudgeable.push(`\`${source}\` runs a script that is computed at run time`);
      return;
    }
    if (depth >= MAX_NESTING) {
      out.unjudgeable.push(`\`${source}\` nests shells too deeply`);
      return;
    }
    const tree = await parseNested(script);
    if (!tree) {
      out.unjudgeable.push(`the script given to \`${program}\` is not valid shell`);
      return;
    }
    const nested = await extractCommands(tree, parseNested, depth + 1);
    out.commands.push(...nested.commands);
    out.pipelines.push(...nested.pipelines);
    out.unjudgeable.push(...nested.unjudgeable);
    return;
  }

  const inner = unwrap(program, words);
  if (inner === "wrapper-only") return;
  if (inner) {
    await addCommand(inner, out, parseNested, depth);
    if (program !== "find") return;
  }
  out.commands.push({ words, source });
}

/**
 * For `sh -c STR`, `bash -c STR` and `eval …`: the script text, `undefined` when it is not fixed
 * text, `null` when this is not such a command.
 */
function nestedScript(program: string, words: ShellWord[]): string | undefined | null {
  if (program === "eval") {
    const rest = words.slice(1);
    return rest.some((w) => w.value === undefined) ? undefined : rest.map((w) => w.value).join(" ");
  }
  if (!SHELLS.has(program)) return null;
  const args = program === "busybox" ? words.slice(2) : words.slice(1);
  if (program === "busybox" && !SHELLS.has(words[1]?.value ?? "")) return null;
  const flagIndex = args.findIndex((w) => w.value !== undefined && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.value));
  if (flagIndex === -1) return null;
  const script = args[flagIndex + 1];
  if (!script) return null;
  return script.value;
}

/** Options of wrapper commands that take a value, so the wrapped command is found after them. */
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  env: new Set(["-u", "--unset", "-C", "--chdir", "-S", "--split-string"]),
  nice: new Set(["-n", "--adjustment"]),
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  xargs: new Set([
    "-I",
    "-i",
    "-n",
    "-P",
    "-L",
    "-l",
    "-d",
    "-a",
    "-E",
    "-e",
    "-s",
    "--max-args",
    "--max-procs",
    "--delimiter",
    "--arg-file",
    "--replace",
    "--max-lines",
    "--eof",
    "--max-chars",
  ]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  ionice: new Set(["-c", "-n", "-p"]),
};
const WRAPPERS = new Set([
  "env",
  "nohup",
  "nice",
  "timeout",
  "time",
  "command",
  "exec",
  "xargs",
  "stdbuf",
  "setsid",
  "ionice",
  "coproc",
  "builtin",
]);

/**
 * The command a wrapper runs: `env X=1 cmd` → `cmd`, `timeout 5 cmd` → `cmd`, `xargs -n1 cmd` → `cmd`,
 * `find … -exec cmd {} ;` → `cmd {}`. "wrapper-only" when the wrapper runs nothing else.
 */
function unwrap(program: string, words: ShellWord[]): ShellWord[] | "wrapper-only" | undefined {
  if (program === "find") return findExec(words);
  if (!WRAPPERS.has(program)) return undefined;
  if (program === "command" && /^-[vV]$/.test(words[1]?.value ?? "")) return "wrapper-only";
  const withValue = WRAPPER_OPTIONS_WITH_VALUE[program] ?? new Set<string>();
  let index = 1;
  while (index < words.length) {
    const value = words[index]?.value;
    if (value === undefined) break;
    if (program === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      index += 1;
      continue;
    }
    if (value === "--") {
      index += 1;
      break;
    }
    if (!value.startsWith("-") || value === "-") break;
    index += withValue.has(value) ? 2 : 1;
  }
  if (program === "timeout") index += 1; // the duration
  const rest = words.slice(index);
  if (rest.length > 0) return rest;
  // Bare `xargs` runs echo; the others with nothing to run do nothing.
  return program === "xargs" ? [{ value: "echo", source: "echo" }] : "wrapper-only";
}

function findExec(words: ShellWord[]): ShellWord[] | undefined {
  const start = words.findIndex((w) => w.value !== undefined && /^-(exec|execdir|ok|okdir)$/.test(w.value));
  if (start === -1) return undefined;
  const rest = words.slice(start + 1);
  const end = rest.findIndex((w) => w.value === ";" || w.value === "+");
  return end === -1 ? rest : rest.slice(0, end);
}

export function basename(program: string): string {
  const slash = program.lastIndexOf("/");
  return slash === -1 ? program : program.slice(slash + 1);
}

/** The value of a word when it is fixed text (quotes removed, escapes resolved). */
function toWord(node: ShellNode): ShellWord {
  return { value: literalValue(node), source: node.text };
}

function literalValue(node: ShellNode): string | undefined {
  switch (node.type) {
    case "command_name": {
      const inner = node.namedChildren[0];
      return inner ? literalValue(inner) : undefined;
    }
    case "word":
    case "number":
      return unescapeWord(node.text);
    case "raw_string":
      return node.text.slice(1, -1);
    case "ansi_c_string":
      return undefined;
    case "string": {
      let value = "";
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type !== "string_content") return undefined;
        value += child.text.replace(/\\([$`"\\\n])/g, "$1");
      }
      return value;
    }
    case "concatenation": {
      let value = "";
      for (const child of node.namedChildren) {
        const part = child ? literalValue(child) : undefined;
        if (part === undefined) return undefined;
        value += part;
      }
      return value;
    }
    default:
      return undefined;
  }
}

function unescapeWord(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}
