import { GuardrailViolation } from "../guardrail-violation.ts";
import { displayPath, resolveWorkspacePath } from "../resolve-workspace-path.ts";
import type { PathPolicy } from "./path-policy.ts";

/**
 * Resolves a path the model named (symlinks followed) and checks it against the path policy for
 * the intended access. Returns the real absolute path and its workspace-relative form.
 */
export async function checkPathAccess(
  workspace: string,
  requested: string,
  access: "read" | "write",
  policy: PathPolicy,
): Promise<{ absolute: string; relative: string }> {
  const absolute = await resolveWorkspacePath(workspace, requested);
  const relative = displayPath(workspace, absolute).split("\\").join("/");
  const target = relative === "." ? "" : relative;
  if (policy.isForbidden(target)) {
    throw new GuardrailViolation(
      "paths.forbidden",
      `"${requested}" is forbidden: it may not be read or written`,
      requested,
    );
  }
  if (access === "write") {
    const violation = policy.writeViolation(target);
    if (violation)
      throw new GuardrailViolation(
        "paths",
        `"${requested}" may not be changed: it is ${violation}`,
        requested,
      );
  }
  return { absolute, relative: target };
}
