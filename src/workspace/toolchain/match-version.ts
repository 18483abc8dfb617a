import semver from "semver";
import type { Language } from "./read-declared-toolchains.ts";

/**
 * Whether the version a tool reports serves the version a repository declares. Pure.
 * - Python: the declared components must match (`3.11` is served by 3.11.7, not by 3.12.1):
 *   minor versions of Python remove modules and change behaviour.
 * - Go and Rust: the found version must be at least the declared one: a go.mod `go` line is a
 *   minimum by the go command's own rules, and both keep newer compilers building older code.
 *   A Rust channel (`stable`) is served by any release; `beta`/`nightly` only by such a build.
 * - `system` (pyenv's word for "whatever is installed") is served by anything.
 */
export function servesDeclared(
  language: Exclude<Language, "node">,
  declared: string,
  found: string,
): boolean {
  if (declared === "system") return true;
  if (language === "python") return samePrefix(declared, found);
  if (language === "rust") {
    if (declared === "stable") return true;
    const channel = /^(beta|nightly)\b/.exec(declared)?.[1];
    if (channel) return found.includes(channel);
  }
  const want = semver.coerce(declared);
  const have = semver.coerce(found);
  return Boolean(want && have && semver.gte(have, want));
}

function samePrefix(declared: string, found: string): boolean {
  const want = declared.split(".");
  const have = found.split(".");
  return /^\d+(\.\d+)*$/.test(declared) && want.every((part, i) => part === have[i]);
}

/** The version number in a tool's `--version` output (`Python 3.11.2`, `go version go1.19.8 …`). */
export function versionIn(output: string): string | undefined {
  return /(?:go)?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?)/.exec(output)?.[1];
}
