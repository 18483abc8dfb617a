import { literalWord, type ShellWord } from "./shell-word.ts";

/** Options of wrapper commands that take a value, so the wrapped command is found after them. */
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  env: new Set(["-u", "--unset", "-C", "--chdir"]),
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
  npx: new Set(["-p", "--package", "--prefix", "-w", "--workspace"]),
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
  "npx",
]);

/** What a wrapper runs: other words, a command line of its own (`env -S`), or nothing. */
export type Unwrapped =
  | { kind: "command"; words: ShellWord[] }
  /** `undefined` when the command line is computed at run time. */
  | { kind: "script"; script: string | undefined }
  | { kind: "nothing" };

/**
 * The command a wrapper runs: `env X=1 cmd` → `cmd`, `timeout 5 cmd` → `cmd`, `xargs -n1 cmd` → `cmd`,
 * `find … -exec cmd {} ;` → `cmd {}`, `npx pkg` → `pkg`, `env -S 'cmd args'` → that command line.
 * `undefined` when the program is no wrapper.
 */
export function unwrap(program: string, words: ShellWord[]): Unwrapped | undefined {
  if (program === "find") {
    const inner = findExec(words);
    return inner && { kind: "command", words: inner };
  }
  if (!WRAPPERS.has(program)) return undefined;
  if (program === "command" && /^-[vV]$/.test(words[1]?.value ?? "")) return { kind: "nothing" };
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
    const split = program === "env" ? splitString(value, words[index + 1]) : undefined;
    if (split) {
      const rest = words.slice(index + (split.fromNext ? 2 : 1)).map((w) => w.source);
      const script = split.script === undefined ? undefined : [split.script, ...rest].join(" ");
      return { kind: "script", script };
    }
    index += takesValue(value, withValue) ? 2 : 1;
  }
  if (program === "timeout") index += 1; // the duration
  const rest = words.slice(index);
  if (rest.length > 0) return { kind: "command", words: rest };
  // Bare `xargs` runs echo; the others with nothing to run do nothing.
  return program === "xargs" ? { kind: "command", words: [literalWord("echo")] } : { kind: "nothing" };
}

/**
 * Whether an option consumes the next word: listed, or an abbreviation of a listed long option
 * (getopt_long accepts `--sig` for `--signal`), or a short-option cluster ending in one (`-n5` does not).
 */
function takesValue(option: string, withValue: Set<string>): boolean {
  if (option.includes("=")) return false;
  if (withValue.has(option)) return true;
  if (option.startsWith("--")) return [...withValue].some((o) => o.startsWith("--") && o.startsWith(option));
  const last = option.at(-1);
  return option.length > 2 && last !== undefined && withValue.has(`-${last}`);
}

/**
 * `env -S STR` / `-SSTR` / `--split-string=STR` (and its abbreviations, and clusters such as `-iS`)
 * splits STR into a command line and runs it: judged as one, like `sh -c`.
 */
function splitString(
  option: string,
  next: ShellWord | undefined,
): { script: string | undefined; fromNext: boolean } | undefined {
  if (option.startsWith("--")) {
    const [name, ...value] = option.split("=");
    if (!name || name.length < 3 || !"--split-string".startsWith(name)) return undefined;
    if (value.length > 0) return { script: value.join("="), fromNext: false };
    return { script: next?.value, fromNext: true };
  }
  // In a short cluster, -u and -C take the rest as their value; -S anywhere before them splits.
  for (let i = 1; i < option.length; i += 1) {
    const flag = option[i];
    if (flag === "u" || flag === "C") return undefined;
    if (flag === "S") {
      const attached = option.slice(i + 1);
      return attached ? { script: attached, fromNext: false } : { script: next?.value, fromNext: true };
    }
  }
  return undefined;
}

function findExec(words: ShellWord[]): ShellWord[] | undefined {
  const start = words.findIndex((w) => w.value !== undefined && /^-(exec|execdir|ok|okdir)$/.test(w.value));
  if (start === -1) return undefined;
  const rest = words.slice(start + 1);
  const end = rest.findIndex((w) => w.value === ";" || w.value === "+");
  return end === -1 ? rest : rest.slice(0, end);
}
