import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { listWorkspaceEntries } from "../guardrails/paths/list-workspace-entries.ts";
import { parentOf, type PathPolicy } from "../guardrails/paths/path-policy.ts";

/** What the path rules mount in the workspace, as absolute paths of the host (and the sandbox). */
export interface WorkspaceMounts {
  /** Forbidden files and directories, covered by an empty one; none inside another. */
  hidden: Array<{ path: string; isDirectory: boolean }>;
  /** Read-only files and directories, mounted on themselves read-only. */
  readOnly: string[];
  /**
   * The directories a hidden path is in, each mounted on itself, outer ones first: a mount point
   * cannot be renamed or removed, so no command can move a forbidden path out from under the rule
   * that names it (with `deploy/prod.yml` forbidden, `mv deploy d2` showed `d2/prod.yml` to the
   * next command). A later mount of a directory hides the mounts made inside it.
   */
  pinned: string[];
}

/**
 * The mounts the rules ask for, from the workspace as it is now: rebuilt for each command, so that
 * they also cover files made since the last one.
 */
export async function workspaceMounts(workspace: string, policy: PathPolicy): Promise<WorkspaceMounts> {
  const hidden: WorkspaceMounts["hidden"] = [];
  const readOnly: string[] = [];
  const pinned = new Set<string>();
  const entries = await listWorkspaceEntries(workspace, (entry) => policy.isForbidden(entry.relative));
  for (const entry of entries) {
    // bwrap follows links in a mount's source and destination, with the app's rights (root's,
    // when it runs as root): a link is never mounted on. Its rule applies to what it points to in
    // the workspace, which is listed and judged under its own name as well.
    const target = entry.isSymbolicLink ? await linkTarget(workspace, entry.relative) : entry;
    if (!target) continue;
    const absolute = path.join(workspace, target.relative);
    if (policy.isForbidden(entry.relative)) {
      // Once each: a link's target may be named by a rule of its own too.
      if (!hidden.some((other) => other.path === absolute))
        hidden.push({ path: absolute, isDirectory: target.isDirectory });
      for (let dir = parentOf(target.relative); dir !== "" && !pinned.has(dir); dir = parentOf(dir))
        pinned.add(dir);
    }
    // A read-only directory's mount covers what is in it: one mount, not one per file (a link in
    // it cannot be changed, and what it points to keeps the rules of its own name).
    else if (policy.isReadOnly(entry.relative) && !policy.isReadOnly(parentOf(entry.relative)))
      readOnly.push(absolute);
  }
  return {
    // Files inside a hidden directory are hidden once: the directory's cover already hides them.
    hidden: hidden.filter(
      (entry) => !hidden.some((dir) => dir.isDirectory && entry.path.startsWith(`${dir.path}/`)),
    ),
    readOnly,
    pinned: [...pinned].sort((a, b) => a.length - b.length).map((dir) => path.join(workspace, dir)),
  };
}

/**
 * What the link at `relative` points to, when that is in the workspace (not the workspace itself,
 * not its `.git`): by its real path, which has no link in it while no command runs.
 */
async function linkTarget(
  workspace: string,
  relative: string,
): Promise<{ relative: string; isDirectory: boolean } | undefined> {
  const real = await realpath(path.join(workspace, relative)).catch(() => undefined);
  if (!real) return undefined;
  const inside = path.relative(workspace, real).split(path.sep).join("/");
  if (inside === "" || inside === ".." || inside.startsWith("../") || path.isAbsolute(inside))
    return undefined;
  if (inside === ".git" || inside.startsWith(".git/")) return undefined;
  return { relative: inside, isDirectory: (await stat(real)).isDirectory() };
}
