import { mkdir, open, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { succeeded } from "../../succeeded.ts";

/**
 * Where a developer's shell finds a project's own tools (after `npm ci`, in an activated venv), and
 * the interpreter whose programs they are: such a program may stand in for a system program of the
 * same name only when that one is a script of the same interpreter (`/usr/bin/pytest`), so the
 * name already meant "run code of this language".
 */
const PROJECT_BIN_DIRS = [
  { dir: "node_modules/.bin", interpreter: /^#!.*\bnode\b/ },
  { dir: ".venv/bin", interpreter: /^#!.*\bpython[\d.]*\b/ },
] as const;
/** A venv's interpreters are meant to stand in for the system's: that is what activating it does. */
const VENV_INTERPRETER = /^(python|pip)(\d+(\.\d+)?)?$/;
const SAFE_NAME = /^[\w.+-]+$/;

/**
 * Makes the project's own tools (vitest, pytest, the venv's python) reachable by name, the way a
 * developer's shell would, without letting anything the model writes stand in for a command the
 * policy judges by its name. Called once, right after setup ran on the base tree and before the
 * agent's first command; it writes a launcher per tool into `shimDir`, a directory outside the
 * workspace that commands see read-only and that is on their PATH (see commandPath):
 * - only names present now count — a `node_modules/.bin/git` the model creates later is never found;
 * - a name a protected directory already has (`git`, `ls`, `node`) is skipped, so not even setup's
 *   output shadows a system command — except the venv's python and pip, which activation shadows,
 *   and a program whose system namesake is a script of the same interpreter (`/usr/bin/pytest`).
 * Each launcher execs the file at its place in the workspace (a venv knows itself by that path).
 * Returns the names linked.
 */
export async function linkProjectTools(options: {
  workspace: string;
  shimDir: string;
  /** Directories whose commands nothing may shadow: the system's, the toolchains'. */
  protectedDirs: readonly string[];
}): Promise<string[]> {
  await rm(options.shimDir, { recursive: true, force: true });
  await mkdir(options.shimDir, { recursive: true });
  const linked: string[] = [];
  for (const { dir, interpreter } of PROJECT_BIN_DIRS) {
    const names = await readdir(path.join(options.workspace, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (!SAFE_NAME.test(name) || linked.includes(name)) continue;
      const venvInterpreter = dir === ".venv/bin" && VENV_INTERPRETER.test(name);
      const protectedOne = await firstIn(options.protectedDirs, name);
      if (protectedOne && !venvInterpreter && !interpreter.test(await firstLine(protectedOne))) continue;
      const target = path.join(options.workspace, dir, name);
      // Programs only (what a link points at counts): not a venv's `activate`, not a directory.
      const kind = await stat(target).catch(() => undefined);
      if (!kind?.isFile() || (kind.mode & 0o111) === 0) continue;
      await writeFile(path.join(options.shimDir, name), `#!/bin/sh\nexec ${shellQuote(target)} "$@"\n`, {
        mode: 0o755,
      });
      linked.push(name);
    }
  }
  return linked;
}

/** The program `name` in the first of `dirs` that has one. */
async function firstIn(dirs: readonly string[], name: string): Promise<string | undefined> {
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (await succeeded(stat(file))) return file;
  }
  return undefined;
}

/** A program's `#!` line (empty for a binary), read from its first bytes only. */
async function firstLine(file: string): Promise<string> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return "";
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, 256, 0);
    return buffer.subarray(0, bytesRead).toString("latin1").split("\n")[0] ?? "";
  } finally {
    await handle.close();
  }
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
