import { realpath } from "node:fs/promises";
import path from "node:path";
import { GuardrailViolation } from "./guardrail-violation.ts";

/**
 * Resolves a path the model gave against the workspace, following symlinks, `..` and absolute
 * paths, and refuses anything that ends up outside the workspace or inside `.git/`. Checked on the
 * real path, so a symlink in the repository cannot smuggle a read or write elsewhere.
 */
export async function resolveWorkspacePath(workspace: string, requested: string): Promise<string> {
  const root = await realpath(workspace);
  const lexical = path.resolve(root, requested);
  const real = await realpathOfExistingPrefix(lexical);
  const relative = path.relative(root, real);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new GuardrailViolation("path", `path "${requested}" is outside the repository`, requested);
  }
  const firstSegment = relative.split(path.sep)[0];
  if (firstSegment === ".git") {
    throw new GuardrailViolation(
      "path",
      `path "${requested}" is inside .git/, which the agent may not touch`,
      requested,
    );
  }
  return real;
}

/** The real path of the longest existing prefix, with the not-yet-existing rest appended. */
async function realpathOfExistingPrefix(target: string): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = await realpath(current);
      return path.join(real, ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const parent = path.dirname(current);
      if (parent === current) return target;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** The path as the model should see it: relative to the workspace root. */
export function displayPath(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute) || ".";
}
