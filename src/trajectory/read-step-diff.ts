import os from "node:os";
import { describeError } from "../errors.ts";
import { gitEnvironment } from "../workspace/git-environment.ts";
import { openGit } from "../git.ts";

/**
 * The change a delivered step made, as a unified diff of its commit against its base, read from the
 * job's working tree by the app's own hardened git (see git-environment.ts). The repository is
 * hostile: no external diff program and no textconv filter it could configure is run, and
 * embedded repositories are not entered. Never throws: a diff that cannot be read says why.
 */
export async function readStepDiff(
  workspaceDir: string,
  step: { baseSha: string; sha: string },
): Promise<string> {
  // Local work only: no credentials in this environment; the home is never read (no global config).
  const git = openGit(workspaceDir, gitEnvironment(os.tmpdir()));
  try {
    return await git.raw([
      "diff",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--find-renames",
      step.baseSha,
      step.sha,
      "--",
    ]);
  } catch (error) {
    return `(the step's diff could not be read: ${describeError(error)})`;
  }
}
