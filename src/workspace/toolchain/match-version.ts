import semver from "semver";
import type { Language } from "./read-declared-toolchains.ts";

/**
 * Whether the version a tool reports serves the version a repository declares. Pure.
 * - Python: the declared major and minor version must match (`3.11` and pyenv's `3.11.4` are served
 *   by 3.11.2, `3.12` is not): minor versions of Python remove modules and change behaviour, patch
 *   releases do not; `3.12-dev` asks for 3.12. Another implementation (`pypy3.10`) is not served by
 *   CPython; a pyenv virtualenv's name (`myproject`) names no version and is not checked.
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
  if (language === "python") return !namesPythonVersion(declared) || sameMinor(declared, found);
  if (language === "rust") {
    if (declared === "stable") return true;
    const channel = /^(beta|nightly)\b/.exec(declared)?.[1];
    if (channel) return found.includes(channel);
  }
  const want = semver.coerce(declared);
  const have = semver.coerce(found);
  return Boolean(want && have && semver.gte(have, want));
}

/** Python implementations other than CPython, as pyenv names them (`pypy3.10-7.3.12`). */
const OTHER_PYTHONS =
  /^(pypy|graalpy|graalpython|jython|ironpython|micropython|pyston|stackless|cinder|activepython|anaconda|miniconda|miniforge|mambaforge)/i;

/**
 * Whether a `.python-version` entry names an interpreter version (`3.11.4`, `3.12-dev`, `pypy3.10`)
 * rather than a pyenv virtualenv (`myproject`), which says nothing about the version in it.
 */
export function namesPythonVersion(declared: string): boolean {
  return /^\d/.test(declared) || OTHER_PYTHONS.test(declared);
}

function sameMinor(declared: string, found: string): boolean {
  const want = /^(\d+)(?:\.(\d+))?/.exec(declared);
  if (!want) return false; // another implementation: the sandbox's python3 is CPython
  const [major, minor] = found.split(".");
  return want[1] === major && (want[2] === undefined || want[2] === minor);
}

/** The version number in a tool's `--version` output (`Python 3.11.2`, `go version go1.19.8 …`). */
export function versionIn(output: string): string | undefined {
  return /(?:go)?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?)/.exec(output)?.[1];
}
