import { basename, literalWord, type ShellWord } from "./shell-word.ts";

/** A command the policy refuses outright, whatever the rules say, because it could hide what it does. */
export interface Refusal {
  rule: string;
  reason: string;
}

/**
 * Rewrites a command into the form the rules are written for, so that a rule cannot be sidestepped
 * by another spelling of the same thing: git's global options and push plumbing, force pushes
 * written as `+refspec` or `--forc`, npm's abbreviations, `python -m pip`, `pip3`, `uv pip`, and the
 * long options of `rm` and `chmod`. Refuses what would let a command redefine itself (`git -c
 * alias.x=push`, `--exec-path=`, `--config-env`).
 */
export function canonicalCommand(words: ShellWord[]): ShellWord[] | Refusal {
  const program = basename(words[0]?.value ?? "");
  if (program === "git") return canonicalGit(words);
  if (program === "npm") return canonicalNpm(words);
  if (/^pip[0-9.]*$/.test(program)) return [literalWord("pip"), ...words.slice(1)];
  if (program === "uv" && words[1]?.value === "pip") return words.slice(1);
  if (/^python[0-9.]*$/.test(program)) return canonicalPython(words);
  if (program === "rm" || program === "chmod") return withShortSynonyms(words, LONG_SYNONYMS[program]);
  return words;
}

/** `git -c KEY=VALUE` keys that change nothing git runs; every other key is refused. */
const SAFE_GIT_CONFIG =
  /^(user\.(name|email)|color\.[a-z.]+|advice\.[a-z]+|init\.defaultbranch|core\.quotepath|(commit|tag)\.gpgsign)=/i;
/** Keys that make git run a command, redefine a subcommand, or read more config. */
const DANGEROUS_GIT_CONFIG_KEY =
  /^(alias\.|include|core\.(fsmonitor|hookspath|sshcommand|pager|editor|askpass|gitproxy|attributesfile|worktree)|credential|sequence\.editor|diff\..*\.(command|textconv)|merge\..*\.driver|filter\.|pager\.|protocol\.|url\.|http\.|remote\..*\.(uploadpack|receivepack|proxy))/i;
/** Git environment variables that only name the author or quiet a prompt. */
const SAFE_GIT_ENV =
  /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)$|^GIT_(TERMINAL_PROMPT|OPTIONAL_LOCKS|MERGE_AUTOEDIT)$/;
/** Git's global options that take the next word as their value. */
const GIT_GLOBAL_WITH_VALUE = new Set([
  "-C",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--super-prefix",
  "--attr-source",
]);

/**
 * Setting a `GIT_*` variable can give git config (`GIT_CONFIG_COUNT`), programs to run
 * (`GIT_SSH_COMMAND`, `GIT_EXEC_PATH`, `GIT_PAGER`) or another repository; only the author's name and
 * a few quiet switches are allowed.
 */
export function gitEnvironmentRefusal(name: string): Refusal | undefined {
  if (!name.startsWith("GIT_") || SAFE_GIT_ENV.test(name)) return undefined;
  return {
    rule: "git-config",
    reason: `setting \`${name}\` can change what git runs; only GIT_AUTHOR_*/GIT_COMMITTER_* may be set`,
  };
}

function canonicalGit(words: ShellWord[]): ShellWord[] | Refusal {
  let index = 1;
  for (; index < words.length; index += 1) {
    const word = words[index]!;
    const value = word.value;
    if (value === undefined || !value.startsWith("-")) break;
    if (value === "-c") {
      const setting = words[index + 1]?.value;
      if (setting === undefined || !SAFE_GIT_CONFIG.test(setting))
        return gitConfigRefusal(`-c ${words[index + 1]?.source ?? ""}`);
      index += 1;
    } else if (value.startsWith("--config-env") || value.startsWith("--exec-path=")) {
      return gitConfigRefusal(value);
    } else if (GIT_GLOBAL_WITH_VALUE.has(value)) index += 1;
  }
  const [subcommand, ...rest] = words.slice(index);
  if (!subcommand) return words;
  if (
    subcommand.value === "config" &&
    rest.some((w) => w.value === undefined || DANGEROUS_GIT_CONFIG_KEY.test(w.value))
  )
    return gitConfigRefusal(`config ${rest.map((w) => w.source).join(" ")}`);
  // Push plumbing pushes just the same.
  const push = subcommand.value === "send-pack" || subcommand.value === "http-push";
  const name = push ? literalWord("push") : subcommand;
  if (name.value !== "push") return [words[0]!, name, ...rest];
  return [
    words[0]!,
    name,
    ...rest,
    ...(rest.some(forcesPush) ? [literalWord("--force"), literalWord("-f")] : []),
  ];
}

function gitConfigRefusal(what: string): Refusal {
  return {
    rule: "git-config",
    reason: `\`git ${what}\` could make git run another command or redefine a subcommand`,
  };
}

/** `+refspec`, `-f` in any cluster, `--force-with-lease`, `--forc` (git takes unambiguous prefixes), `--mirror`. */
function forcesPush(word: ShellWord): boolean {
  const value = word.value;
  if (value === undefined) return false;
  if (value.startsWith("+") || /^-[A-Za-z0-9]*f/.test(value)) return true;
  const name = value.split("=")[0]!;
  if (name.startsWith("--force") || name === "--mirror") return true;
  return name.length >= 4 && name.startsWith("--") && "--force".startsWith(name);
}

/** npm's global options that take the next word as their value. */
const NPM_WITH_VALUE = new Set([
  "--otp",
  "--registry",
  "--tag",
  "--access",
  "--prefix",
  "-C",
  "--workspace",
  "-w",
  "--userconfig",
  "--cache",
  "--loglevel",
  "--scope",
]);

/** npm runs any unambiguous abbreviation of a command: `npm pub` publishes. */
function canonicalNpm(words: ShellWord[]): ShellWord[] {
  let index = 1;
  while (index < words.length && words[index]!.value?.startsWith("-")) {
    index += NPM_WITH_VALUE.has(words[index]!.value!) ? 2 : 1;
  }
  const subcommand = words[index]?.value;
  if (subcommand === undefined || subcommand.length < 3 || !"publish".startsWith(subcommand)) return words;
  return [...words.slice(0, index), literalWord("publish"), ...words.slice(index + 1)];
}

/** `python3 -m pip …` (or `-mpip`) is pip. */
function canonicalPython(words: ShellWord[]): ShellWord[] {
  for (let index = 1; index < words.length; index += 1) {
    const value = words[index]!.value;
    if (value === undefined || !value.startsWith("-")) return words;
    const module =
      value === "-m" ? words[index + 1]?.value : value.startsWith("-m") ? value.slice(2) : undefined;
    if (module !== undefined) {
      if (!/^pip[0-9.]*$/.test(module)) return words;
      return [literalWord("pip"), ...words.slice(index + (value === "-m" ? 2 : 1))];
    }
  }
  return words;
}

const LONG_SYNONYMS: Record<string, Record<string, string>> = {
  rm: { "--recursive": "-r", "-R": "-r", "--force": "-f" },
  chmod: { "--recursive": "-R" },
};

/** Long options (and their unambiguous abbreviations, which GNU tools accept) as short flags. */
function withShortSynonyms(words: ShellWord[], synonyms: Record<string, string> = {}): ShellWord[] {
  return words.map((word, index) => {
    const value = word.value;
    if (index === 0 || value === undefined || !value.startsWith("-")) return word;
    if (synonyms[value]) return literalWord(synonyms[value]);
    if (/^-[A-Za-z]+$/.test(value))
      return literalWord(
        `-${[...value.slice(1)].map((flag) => synonyms[`-${flag}`]?.slice(1) ?? flag).join("")}`,
      );
    if (!value.startsWith("--") || value.length < 3) return word;
    const long = Object.keys(synonyms).find((option) => option.startsWith("--") && option.startsWith(value));
    return long ? literalWord(synonyms[long]!) : word;
  });
}
