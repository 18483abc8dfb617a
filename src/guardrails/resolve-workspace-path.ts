import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { GuardrailViolation } from "./guardrail-violation.ts";

/** More links than this on one path is a loop, or an attempt to make the check slow. */
const MAX_LINKS = 40;
/** `.git` in any letter case, at any depth: git's own files, or an embedded repository's. */
const GIT_DIR_NAME = /^\.git$/i;

/**
 * Resolves a path the model gave against the workspace and refuses anything that ends up outside
 * the workspace or in a `.git` directory. Each component is looked at with `lstat` (never
 * followed blindly): a symbolic link is expanded by hand and its target checked like the rest, so
 * a link can lead only to another place inside the workspace. A link to something that does not
 * exist (a dangling link) is refused: writing through it would create its target, wherever that
 * is. Returns a path free of links, which the file tools open with O_NOFOLLOW.
 */
export async function resolveWorkspacePath(workspace: string, requested: string): Promise<string> {
  const root = await realpath(workspace);
  const refuse = (why: string) => new GuardrailViolation("path", `path "${requested}" ${why}`, requested);
  const inside = (absolute: string) => {
    const relative = path.relative(root, absolute);
    return !relative.startsWith("..") && !path.isAbsolute(relative);
  };
  const lexical = path.resolve(root, requested);
  if (!inside(lexical)) throw refuse("is outside the repository");
  const pending = path.relative(root, lexical).split(path.sep).filter(Boolean);
  let current = root;
  let exists = true;
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      current = path.dirname(current);
      if (!inside(current)) throw refuse("is outside the repository");
      continue;
    }
    if (GIT_DIR_NAME.test(part)) throw refuse("is inside .git/, which the agent may not touch");
    const next = path.join(current, part);
    const info = exists ? await lstatOrMissing(next, refuse) : undefined;
    if (!info) {
      exists = false;
      current = next;
      continue;
    }
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw refuse("goes through too many symbolic links");
    const target = path.resolve(current, await readlink(next));
    if (!inside(target)) throw refuse("is a symbolic link that leads outside the repository");
    const targetParts = path.relative(root, target).split(path.sep).filter(Boolean);
    if (targetParts.some((name) => GIT_DIR_NAME.test(name)))
      throw refuse("is inside .git/, which the agent may not touch");
    const missing = await lstat(target).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code ?? "ENOENT",
    );
    if (missing === "ELOOP") throw refuse("goes through too many symbolic links");
    if (missing)
      throw refuse(
        `goes through a dangling symbolic link (${part} → a path that does not exist); remove the link first`,
      );
    pending.unshift(...targetParts);
    current = root;
  }
  return current;
}

async function lstatOrMissing(file: string, refuse: (why: string) => GuardrailViolation) {
  try {
    return await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") throw refuse("goes through a file as if it were a directory");
    throw error;
  }
}

/** The path as the model should see it: relative to the workspace root. */
export function displayPath(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute) || ".";
}
