import { canonicalCommand, gitEnvironmentRefusal, type Refusal } from "./canonical-command.ts";
import type { ShellNode } from "./parse-shell.ts";
import { basename, toWord, type ShellWord } from "./shell-word.ts";
import { unwrap } from "./unwrap-wrapper.ts";

export { basename, type ShellWord } from "./shell-word.ts";

/** One program invocation, with wrappers (env, xargs, timeout, …) removed. */
export interface SimpleCommand {
  /** In canonical form (see canonical-command.ts), so rules match every spelling. */
  words: ShellWord[];
  source: string;
}

export interface ExtractedCommands {
  commands: SimpleCommand[];
  /** Each pipeline as its stages, for rules such as `curl | bash`. */
  pipelines: SimpleCommand[][];
  /** Text fed to commands other than as arguments (heredocs), where SQL-like phrases are looked for. */
  inputs: string[];
  /** Why the line cannot be judged; then it must be refused. */
  unjudgeable: string[];
  /** Commands refused whatever the rules say, because they could redefine what runs. */
  refusals: Refusal[];
}

/** Parses a string handed to `sh -c`, `bash -c` or `eval`; undefined when it is not valid bash. */
export type NestedParser = (source: string) => Promise<ShellNode | undefined>;

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"]);
const MAX_NESTING = 5;

interface Walk {
  out: ExtractedCommands;
  parseNested: NestedParser;
  depth: number;
}

/**
 * Walks a bash syntax tree and lists every simple command it would run: in lists, pipelines,
 * subshells, blocks, loops, functions, command and process substitutions, heredocs, and inside the
 * strings given to `sh -c` / `bash -c` / `eval` / `env -S` / `npx -c` (parsed again, recursively).
 * Wrappers that only run another command (`env`, `nohup`, `timeout`, `xargs`, `find -exec`, `npx`, …)
 * are looked through.
 */
export async function extractCommands(
  root: ShellNode,
  parseNested: NestedParser,
  depth = 0,
): Promise<ExtractedCommands> {
  const out: ExtractedCommands = { commands: [], pipelines: [], inputs: [], unjudgeable: [], refusals: [] };
  await visit(root, { out, parseNested, depth });
  return out;
}

async function visit(node: ShellNode, walk: Walk): Promise<void> {
  if (node.type === "command") {
    await visitCommand(node, walk);
    return;
  }
  noteAssignment(node, walk.out);
  if (node.type === "heredoc_body") walk.out.inputs.push(node.text);
  if (node.type === "pipeline") {
    const stagesBefore = walk.out.commands.length;
    for (const child of node.namedChildren) if (child) await visit(child, walk);
    walk.out.pipelines.push(walk.out.commands.slice(stagesBefore));
    return;
  }
  for (const child of node.namedChildren) if (child) await visit(child, walk);
}

/** `GIT_CONFIG_COUNT=1 git x`, `export GIT_EXEC_PATH=…`: variables that change what git runs. */
function noteAssignment(node: ShellNode, out: ExtractedCommands): void {
  if (node.type !== "variable_assignment") return;
  const refusal = gitEnvironmentRefusal(node.childForFieldName("name")?.text ?? "");
  if (refusal) out.refusals.push(refusal);
}

async function visitCommand(node: ShellNode, walk: Walk): Promise<void> {
  // Substitutions anywhere in the command (assignments, arguments, redirections) run first.
  for (const child of node.namedChildren) {
    if (!child || child.type === "command_name") continue;
    noteAssignment(child, walk.out);
    if (child.type === "herestring_redirect") walk.out.inputs.push(child.text);
    await visitSubstitutions(child, walk);
  }
  const nameNode = node.childForFieldName("name");
  if (!nameNode) return; // Only assignments, e.g. `X=1`.
  await visitSubstitutions(nameNode, walk);
  const words = [nameNode, ...node.childrenForFieldName("argument")]
    .filter((n): n is ShellNode => n !== null)
    .map(toWord);
  await addCommand(words, walk);
}

async function visitSubstitutions(node: ShellNode, walk: Walk): Promise<void> {
  if (node.type === "command_substitution" || node.type === "process_substitution") {
    for (const child of node.namedChildren) if (child) await visit(child, walk);
    return;
  }
  for (const child of node.namedChildren) if (child) await visitSubstitutions(child, walk);
}

async function addCommand(words: ShellWord[], walk: Walk): Promise<void> {
  const { out } = walk;
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
    await addScript(script, source, program, walk);
    return;
  }

  const inner = unwrap(program, words);
  if (program === "env") {
    for (const word of words.slice(1)) {
      const assigned = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.value ?? "")?.[1];
      const refusal = assigned && gitEnvironmentRefusal(assigned);
      if (refusal) out.refusals.push(refusal);
    }
  }
  if (inner?.kind === "nothing") return;
  if (inner?.kind === "script") {
    await addScript(inner.script, source, program, walk);
    return;
  }
  if (inner) {
    await addCommand(inner.words, walk);
    if (program !== "find") return;
  }
  const canonical = canonicalCommand(words);
  if ("rule" in canonical) out.refusals.push(canonical);
  else out.commands.push({ words: canonical, source });
}

async function addScript(script: string | undefined, source: string, program: string, walk: Walk) {
  const { out } = walk;
  if (script === undefined) {
    out.unjudgeable.push(`\`${source}\` runs a script that is computed at run time`);
    return;
  }
  if (walk.depth >= MAX_NESTING) {
    out.unjudgeable.push(`\`${source}\` nests shells too deeply`);
    return;
  }
  const tree = await walk.parseNested(script);
  if (!tree) {
    out.unjudgeable.push(`the script given to \`${program}\` is not valid shell`);
    return;
  }
  const nested = await extractCommands(tree, walk.parseNested, walk.depth + 1);
  out.commands.push(...nested.commands);
  out.pipelines.push(...nested.pipelines);
  out.inputs.push(...nested.inputs);
  out.unjudgeable.push(...nested.unjudgeable);
  out.refusals.push(...nested.refusals);
}

/**
 * For `sh -c STR`, `bash -c STR`, `npx -c STR` and `eval …`: the script text, `undefined` when it is
 * not fixed text, `null` when this is not such a command.
 */
function nestedScript(program: string, words: ShellWord[]): string | undefined | null {
  if (program === "eval") {
    const rest = words.slice(1);
    return rest.some((w) => w.value === undefined) ? undefined : rest.map((w) => w.value).join(" ");
  }
  if (program === "npx") {
    // Only npx's own options, before the package it runs.
    for (let index = 1; index < words.length && words[index]!.value?.startsWith("-"); index += 1) {
      const value = words[index]!.value!;
      if (value === "-c" || value === "--call") return words[index + 1]?.value;
      if (value.startsWith("--call=")) return value.slice("--call=".length);
      if (value === "-p" || value === "--package") index += 1;
    }
    return null;
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
