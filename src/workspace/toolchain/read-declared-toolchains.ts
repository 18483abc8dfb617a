import type { ToolchainConfig } from "../../config/toolchain-config.schema.ts";

export type Language = "node" | "python" | "go" | "rust";

/** One version a repository asks for, and the file (or config key) that asks. */
export interface Declared {
  /** As written, trimmed: `22`, `>=20`, `lts/*`, `3.11`, `1.22.3`, `stable`. */
  version: string;
  /** Shown to people: "`.nvmrc`", "`toolchain.node` in `.github/agent.yml`". */
  source: string;
}

export interface DeclaredToolchains {
  node?: Declared;
  python?: Declared;
  go?: Declared;
  rust?: Declared;
  /** package.json's `packageManager` (`pnpm@9.12.0`), which corepack provides. */
  packageManager?: { name: string; version: string; source: string };
}

/** Files whose text decides the declared versions; read from the base branch. */
export const TOOLCHAIN_FILES = [
  ".nvmrc",
  ".node-version",
  "package.json",
  ".python-version",
  "go.mod",
  "rust-toolchain.toml",
  "rust-toolchain",
] as const;

type Read = (file: (typeof TOOLCHAIN_FILES)[number]) => string | undefined;

/**
 * What versions a repository declares, the configured `toolchain:` first, then its own files in the
 * order the ecosystem's tools read them. Pure: it sees only the text of the files it asks for.
 */
export function readDeclaredToolchains(read: Read, configured: ToolchainConfig = {}): DeclaredToolchains {
  const fromConfig = (key: Language): Declared | undefined => {
    const version = configured[key];
    return version ? { version, source: `\`toolchain.${key}\` in \`.github/agent.yml\`` } : undefined;
  };
  const packageJson = parseJson(read("package.json"));
  const declared: DeclaredToolchains = {};
  const node =
    fromConfig("node") ??
    fromVersionFile(read(".nvmrc"), "`.nvmrc`") ??
    fromVersionFile(read(".node-version"), "`.node-version`") ??
    fromEnginesNode(packageJson);
  const python = fromConfig("python") ?? fromVersionFile(read(".python-version"), "`.python-version`");
  const go = fromConfig("go") ?? fromGoMod(read("go.mod"));
  const rust =
    fromConfig("rust") ??
    fromRustToolchainToml(read("rust-toolchain.toml")) ??
    fromVersionFile(read("rust-toolchain"), "`rust-toolchain`");
  const packageManager = fromPackageManager(packageJson);
  // Each value is shown in the check run, the PR body and the status comment, inside a code span.
  for (const entry of [node, python, go, rust, packageManager])
    if (entry) entry.version = inertVersion(entry.version);
  if (node) declared.node = node;
  if (python) declared.python = python;
  if (go) declared.go = go;
  if (rust) declared.rust = rust;
  if (packageManager) declared.packageManager = packageManager;
  return declared;
}

/**
 * A declared version as plain text: the characters version specs use (`>=20 <23`, `lts/*`,
 * `^9.1.0`, `1.70.0-beta`), anything else (a backtick that would close the code span it is shown
 * in, brackets, `@`) as `?`, at most 64 of them. The repository wrote it; the app's voice says it.
 */
function inertVersion(version: string): string {
  return version.replace(/[^\w.+\-^~<>=|*/ ]/g, "?").slice(0, 64);
}

/** `.nvmrc`, `.node-version`, `.python-version`, `rust-toolchain`: the first word of the first line that says something. */
function fromVersionFile(text: string | undefined, source: string): Declared | undefined {
  const line = text
    ?.split("\n")
    .map((entry) => entry.replace(/#.*/, "").trim())
    .find(Boolean);
  const version = line?.split(/\s+/)[0];
  return version ? { version, source } : undefined;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fromEnginesNode(packageJson: Record<string, unknown> | undefined): Declared | undefined {
  const engines = packageJson?.engines as Record<string, unknown> | undefined;
  const range = typeof engines?.node === "string" ? engines.node.trim() : "";
  return range ? { version: range, source: "`engines.node` in `package.json`" } : undefined;
}

function fromPackageManager(
  packageJson: Record<string, unknown> | undefined,
): DeclaredToolchains["packageManager"] {
  const field = packageJson?.packageManager;
  // `pnpm@9.12.0+sha512.…`: the hash is corepack's business.
  const match = typeof field === "string" ? /^(npm|pnpm|yarn)@([^+\s]+)/.exec(field.trim()) : null;
  return match
    ? { name: match[1]!, version: match[2]!, source: "`packageManager` in `package.json`" }
    : undefined;
}

/** go.mod's `toolchain go1.22.3` line wins over its `go 1.22` line, as the go command reads them. */
function fromGoMod(text: string | undefined): Declared | undefined {
  if (!text) return undefined;
  const toolchain = /^toolchain\s+go(\d[\w.-]*)\s*$/m.exec(text)?.[1];
  if (toolchain) return { version: toolchain, source: "the `toolchain` line of `go.mod`" };
  const go = /^go\s+(\d[\w.-]*)\s*$/m.exec(text)?.[1];
  return go ? { version: go, source: "the `go` line of `go.mod`" } : undefined;
}

function fromRustToolchainToml(text: string | undefined): Declared | undefined {
  const channel = text && /^\s*channel\s*=\s*["']([^"']+)["']/m.exec(text)?.[1]?.trim();
  return channel ? { version: channel, source: "`rust-toolchain.toml`" } : undefined;
}
