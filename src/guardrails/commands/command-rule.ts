import { basename, type SimpleCommand } from "./extract-commands.ts";

/**
 * A rule from `commands.allow` / `deny` / `require_approval`, written as words: `git`,
 * `"docker run --rm"`, `"rm -rf"`, `"DROP DATABASE"`, or a pipeline such as `"curl | bash"`.
 */
export interface CommandRule {
  text: string;
  /** One entry per pipeline stage; most rules have one. */
  stages: string[][];
}

export function parseRule(text: string): CommandRule {
  const stages = text
    .split("|")
    .map((stage) => stage.trim().split(/\s+/).filter(Boolean))
    .filter((stage) => stage.length > 0);
  return { text, stages };
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
 * Deny and approval rules match wherever they appear: a command whose name is the rule's first
 * word and whose arguments include the rest (short flags in any grouping, so `rm -rf` also catches
 * `rm -fr` and `rm -r -f`), or the rule's words as a phrase inside any command (case-insensitive,
 * so `DROP DATABASE` catches `psql -c 'drop database x'`). A pipeline rule matches when its stages
 * occur in that order within one pipeline.
 */
export function guardRuleMatches(
  rule: CommandRule,
  commands: readonly SimpleCommand[],
  pipelines: readonly SimpleCommand[][],
): boolean {
  if (rule.stages.length > 1) return pipelines.some((pipeline) => stagesInOrder(rule.stages, pipeline));
  const [words] = rule.stages;
  if (!words) return false;
  const phrase = normalize(words.join(" "));
  return commands.some(
    (command) => commandHasWords(words, command) || normalize(command.source).includes(phrase),
  );
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
  const args = command.words.slice(1).map((w) => w.value ?? w.source);
  const shortFlags = new Set(args.filter(isShortFlagCluster).flatMap((a) => [...a.slice(1)]));
  return required.every((word) =>
    isShortFlagCluster(word)
      ? [...word.slice(1)].every((flag) => shortFlags.has(flag)) || args.includes(word)
      : args.includes(word),
  );
}

function isShortFlagCluster(word: string): boolean {
  return /^-[A-Za-z0-9]+$/.test(word);
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/["'\\]/g, "")
    .replace(/\s+/g, " ");
}
