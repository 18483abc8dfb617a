import type { ExtractedCommands, SimpleCommand } from "./extract-commands.ts";
import { basename, expandsToOneWord, type ShellWord } from "./shell-word.ts";

/**
 * A rule from `commands.allow` / `deny` / `require_approval`, written as words: `git`,
 * `"docker run --rm"`, `"rm -rf"`, `"DROP DATABASE"`, or a pipeline such as `"curl | bash"`.
 */
export interface CommandRule {
  text: string;
  /** One entry per pipeline stage; most rules have one. */
  stages: string[][];
  /**
   * A rule of several words written in capitals (`DROP DATABASE`, `TRUNCATE TABLE`) is an SQL-like
   * phrase, not a command: it is looked for inside the text commands are given, never in their names.
   */
  phrase: boolean;
}

export function parseRule(text: string): CommandRule {
  const stages = text
    .split("|")
    .map((stage) => stage.trim().split(/\s+/).filter(Boolean))
    .filter((stage) => stage.length > 0);
  const [only] = stages;
  const phrase = stages.length === 1 && !!only && only.length > 1 && /^[A-Z][A-Z_]*$/.test(only[0]!);
  return { text, stages, phrase };
}

/**
 * Allow rules match a command's leading words exactly: `docker run --rm` allows
 * `docker run --rm img`, not `docker run img`. `*` allows any command.
 */
export function allowRuleMatches(rule: CommandRule, command: SimpleCommand): boolean {
  const [words] = rule.stages;
  if (!words || rule.stages.length !== 1) return false;
  if (words.length === 1 && words[0] === "*") return true;
  return words.every((word, index) => {
    const actual = command.words[index]?.value;
    if (actual === undefined) return false;
    return index === 0 ? basename(actual) === word : actual === word;
  });
}

/**
 * Deny and approval rules match commands, never substrings: a command whose program is the rule's
 * first word (`dd` never matches `git add`), whose arguments contain the rule's other plain words in
 * order (`git push` matches `git -C . push`, `npm --otp 1 publish`) and its flags anywhere, short
 * flags in any grouping (`rm -rf` catches `rm -fr`, `rm -r -f`), long ones also abbreviated
 * (`--forc`). An argument computed at run time (`rm $F /`) may stand for any rule word, so it
 * matches. A phrase rule matches its words in sequence, case-insensitively, inside any argument or
 * heredoc (`psql -c 'drop database x'`). A pipeline rule matches when its stages occur in that
 * order within one pipeline.
 */
export function guardRuleMatches(rule: CommandRule, extracted: ExtractedCommands): boolean {
  const { commands, pipelines, inputs } = extracted;
  if (rule.phrase) return phraseOccurs(rule.stages[0]!, commands, inputs);
  if (rule.stages.length > 1) return pipelines.some((pipeline) => stagesInOrder(rule.stages, pipeline));
  const [words] = rule.stages;
  return !!words && commands.some((command) => commandHasWords(words, command));
}

function stagesInOrder(stages: string[][], pipeline: readonly SimpleCommand[]): boolean {
  let next = 0;
  for (const command of pipeline) {
    const stage = stages[next];
    if (stage && commandHasWords(stage, command)) next += 1;
    if (next === stages.length) return true;
  }
  return false;
}

function commandHasWords(words: string[], command: SimpleCommand): boolean {
  const [name, ...required] = words;
  const actualName = command.words[0]?.value;
  if (!name || actualName === undefined || basename(actualName) !== name) return false;
  const args = command.words.slice(1);
  const endOfOptions = args.findIndex((w) => w.value === "--");
  const options = endOfOptions === -1 ? args : args.slice(0, endOfOptions);
  const literal = (list: ShellWord[]) => list.flatMap((w) => (w.value === undefined ? [] : [w.value]));

  const flags = required.filter((word) => word.startsWith("-"));
  const plain = required.filter((word) => !word.startsWith("-"));
  const missingFlags = flags.filter((flag) => !flagPresent(flag, literal(options))).length;
  const missingPlain = plain.length - inOrder(plain, literal(args));
  const missing = missingFlags + missingPlain;
  if (missing === 0) return true;

  // What a computed argument could be: one word in double quotes, any number of words otherwise.
  const computed = (list: ShellWord[]) => list.filter((w) => w.value === undefined);
  const asFlags = computed(options);
  const anywhere = computed(args);
  if (anywhere.some((w) => !expandsToOneWord(w))) return asFlags.length > 0 || missingFlags === 0;
  return missingFlags <= asFlags.length && missing <= anywhere.length;
}

/** How many of the plain rule words occur among the arguments in order (`origin` covers `origin/main`). */
function inOrder(plain: string[], args: string[]): number {
  let found = 0;
  for (const arg of args) {
    const word = plain[found];
    if (word !== undefined && (arg === word || arg.startsWith(`${word}/`))) found += 1;
  }
  return found;
}

function flagPresent(flag: string, args: string[]): boolean {
  if (args.includes(flag)) return true;
  // Short flags in any grouping: `-rf` as `-fr`, `-r -f`, `-Rrf`. (`-delete` and other single-dash
  // long options are compared whole.)
  if (/^-[A-Za-z0-9]{1,3}$/.test(flag)) {
    const present = new Set(args.filter((a) => /^-[A-Za-z0-9]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
    return [...flag.slice(1)].every((letter) => present.has(letter));
  }
  if (!flag.startsWith("--")) return false;
  // `--force=…`, and the abbreviations getopt_long and git accept (`--forc`).
  return args.some((arg) => {
    const name = arg.split("=")[0]!;
    return name === flag || (name.startsWith("--") && name.length >= 4 && flag.startsWith(name));
  });
}

/** A phrase's words in sequence inside any argument or heredoc, SQL comments and case ignored. */
function phraseOccurs(
  words: string[],
  commands: readonly SimpleCommand[],
  inputs: readonly string[],
): boolean {
  const wanted = words.map((w) => w.toLowerCase()).join(" ");
  const texts = [...inputs, ...commands.flatMap((c) => c.words.slice(1).map((w) => w.value ?? w.source))];
  return texts.some((text) => {
    const tokens = text
      .replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, " ")
      .toLowerCase()
      .split(/[^a-z0-9_]+/)
      .filter(Boolean);
    return ` ${tokens.join(" ")} `.includes(` ${wanted} `);
  });
}
