import { stat } from "node:fs/promises";
import path from "node:path";
import { openGit } from "../git.ts";
import { CannotStart } from "./cannot-start.ts";

/**
 * The top of the git repository `--repo` names, checked to have a branch checked out to start
 * from (the job's base, as the default branch is on GitHub). A path inside a repository means
 * that repository, as it does for git itself.
 */
export async function findRepository(value: string): Promise<string> {
  const dir = path.resolve(value);
  const found = await stat(dir).catch(() => undefined);
  if (!found) throw new CannotStart(`--repo ${value}: no such directory`);
  if (!found.isDirectory()) throw new CannotStart(`--repo ${value}: not a directory`);
  const git = openGit(dir, process.env);
  const top = await git.revparse(["--show-toplevel"]).catch(() => undefined);
  if (!top) throw new CannotStart(`--repo ${value}: not a git repository (point it at a clone)`);
  const head = await git.revparse(["--verify", "--quiet", "HEAD"]).catch(() => undefined);
  if (!head) throw new CannotStart(`--repo ${value}: the repository has no commits yet`);
  const branch = await git.raw(["symbolic-ref", "--quiet", "HEAD"]).catch(() => undefined);
  if (!branch) {
    throw new CannotStart(
      `--repo ${value}: HEAD is detached; check out the branch the work should start from (git switch <branch>)`,
    );
  }
  return top;
}
