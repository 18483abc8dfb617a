import type { SimpleGit } from "simple-git";
import { classifyTestFiles, type TestFileRules } from "./classify-test-files.ts";
import { isExpectationFile, testTamperingReasons, type FileVersions } from "./detect-test-tampering.ts";

/**
 * Reads the step's test and expectation files on both sides of the step and judges them: a step
 * that deletes, skips or rewrites existing tests is delivered, but only for a human to review.
 */
export async function testTamperingReview(
  git: SimpleGit,
  step: { baseSha: string; headSha: string; paths: readonly string[] },
  rules: TestFileRules,
): Promise<Array<{ path: string; reason: string }>> {
  const { tests } = classifyTestFiles(step.paths, rules);
  const expectations = step.paths.filter((p) => isExpectationFile(p));
  const [before, after] = await Promise.all([treeFiles(git, step.baseSha), treeFiles(git, step.headSha)]);
  const versions = (paths: readonly string[]) =>
    Promise.all(
      paths.map(async (path): Promise<FileVersions> => ({
        path,
        before: before.has(path) ? await blob(git, step.baseSha, path) : undefined,
        after: after.has(path) ? await blob(git, step.headSha, path) : undefined,
      })),
    );
  return testTamperingReasons(
    await versions(tests.filter((p) => !isExpectationFile(p))),
    await versions(expectations),
  );
}

/**
 * Whether a file exists is read from the commit's tree, never inferred from a failed read: an old
 * version git fails to read (a lock, a missing object) would otherwise pass for a new file, and a
 * rewritten test for one that needs no review. Any read error fails the delivery instead.
 */
async function treeFiles(git: SimpleGit, sha: string): Promise<Set<string>> {
  const listing = await git.raw(["ls-tree", "-r", "-z", "--name-only", sha]);
  return new Set(listing.split("\0").filter(Boolean));
}

function blob(git: SimpleGit, sha: string, path: string): Promise<string> {
  return git.raw(["cat-file", "blob", `${sha}:${path}`]);
}
