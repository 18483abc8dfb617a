import type { Git } from "../git.ts";
import { readBlobAt } from "./read-blob-at.ts";
import { classifyTestFiles, type TestFileRules } from "./classify-test-files.ts";
import { isExpectationFile, testTamperingReasons, type FileVersions } from "./detect-test-tampering.ts";

/**
 * Reads the step's test and expectation files on both sides of the step and judges them: a step
 * that deletes, skips or rewrites existing tests is delivered, but only for a human to review.
 */
export async function testTamperingReview(
  git: Git,
  step: { baseSha: string; headSha: string; paths: readonly string[] },
  rules: TestFileRules,
): Promise<Array<{ path: string; reason: string }>> {
  const { tests } = classifyTestFiles(step.paths, rules);
  const expectations = step.paths.filter((p) => isExpectationFile(p));
  const versions = (paths: readonly string[]) =>
    Promise.all(
      paths.map(async (path): Promise<FileVersions> => ({
        path,
        before: (await readBlobAt(git, step.baseSha, path))?.text,
        after: (await readBlobAt(git, step.headSha, path))?.text,
      })),
    );
  return testTamperingReasons(
    await versions(tests.filter((p) => !isExpectationFile(p))),
    await versions(expectations),
  );
}
