import picomatch from "picomatch";

/** A changed file as it was on the step's base commit and as the step leaves it (undefined: absent). */
export interface FileVersions {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

/**
 * Files that hold what tests expect rather than tests: snapshots, golden files, recorded outputs.
 * Rewriting one makes a failing test pass without touching the code it checks.
 */
export const EXPECTATION_FILES = [
  "**/__snapshots__/**",
  "**/*.snap",
  "**/*.golden",
  "**/golden/**",
  "**/testdata/**",
  "**/expected/**",
  "**/*.expected",
  "**/*.expected.*",
  "**/*.approved.*",
] as const;

/** One test case's declaration, across the common frameworks. */
const TEST_CASE = [
  /\b[xf]?(?:it|test|specify)(?:\.\w+)*\s*\(\s*["'`]/, // Jest, Mocha, Vitest, ava, node:test
  /^\s*(?:async\s+)?def\s+test\w*/, // pytest, unittest, minitest
  /^\s*func\s+(?:Test|Fuzz|Example)\w*\s*\(/, // Go
  /#\[(?:\w+::)?test\]/, // Rust
  /@(?:Test|ParameterizedTest|RepeatedTest)\b|\[(?:Test|Fact|Theory|TestMethod)\b/, // JUnit, NUnit, xUnit, MSTest
  /^\s*(?:it|specify|example|scenario)\s+["']/, // RSpec
];

/** A marker that turns existing tests off, or focuses on some so the others stop running. */
const SKIP_MARKER = [
  /\b(?:it|test|describe|context|specify|suite)\.(?:skip|only|todo)\b/,
  /\b(?:xit|xdescribe|xtest|xcontext|xspecify|fit|fdescribe)\s*\(/,
  /\{\s*(?:skip|todo|only)\s*:\s*(?:true|["'`])/, // node:test options
  /@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail)\s*\(/,
  /@unittest\.(?:skip|skipIf|skipUnless|expectedFailure)\b|\.skipTest\s*\(/,
  /\bt\.Skip(?:Now|f)?\s*\(/, // Go
  /#\[ignore\b/, // Rust
  /@(?:Disabled|Ignore)\b|\[Ignore\b|\(\s*Skip\s*=/, // JUnit, NUnit, xUnit
  /^\s*(?:skip|pending)\b/, // RSpec, minitest
  /^\s*SKIP\s*:|\bskip_all\b/, // Perl Test::More
];

/** A line that states what a test expects. */
const EXPECTATION =
  /\b(?:assert\w*|expect|refute\w*|should|must|verify)\b|\bt\.(?:is|not|deepEqual|notDeepEqual|true|false|truthy|falsy|throws\w*|regex|like|same|equal|match|ok|snapshot)\b|\bt\.(?:Error|Fatal|Fail)\w*\s*\(|^\s*(?:is|isnt|is_deeply|like|unlike|ok|cmp_ok)\s*\(|\.to(?:Be|Equal|Match|Throw|Contain|StrictEqual|Have)\w*\s*\(|\b(?:want|expected)\w*\s*(?::=|=|:)/;

/**
 * Why a change to existing tests needs a human: a passing run proves nothing if the tests were
 * deleted, skipped or told to expect something else. New test files are free; only tests (and
 * expectation files) that existed on the base commit are judged. Pure: it sees file contents.
 */
export function testTamperingReasons(
  tests: readonly FileVersions[],
  expectations: readonly FileVersions[],
): Array<{ path: string; reason: string }> {
  const reasons: Array<{ path: string; reason: string }> = [];
  for (const file of expectations) {
    if (file.before === undefined || file.before === file.after) continue;
    const what = file.after === undefined ? "deletes" : "changes";
    reasons.push({
      path: file.path,
      reason: `${what} a snapshot or expected-output file that tests rely on`,
    });
  }
  for (const { path, before, after } of tests) {
    if (before === undefined || before === after) continue;
    if (after === undefined) {
      reasons.push({ path, reason: "deletes a test file that existed" });
      continue;
    }
    const [old, now] = [lines(before), lines(after)];
    const removedCases = count(old, TEST_CASE) - count(now, TEST_CASE);
    if (removedCases > 0)
      reasons.push({
        path,
        reason: `removes ${removedCases} existing test case${removedCases > 1 ? "s" : ""}`,
      });
    const addedSkips = missingFrom(old, now).filter((line) => SKIP_MARKER.some((re) => re.test(line)));
    if (addedSkips.length > 0)
      reasons.push({ path, reason: `skips or narrows existing tests (${quoted(addedSkips)})` });
    const changedExpectations = missingFrom(now, old).filter((line) => EXPECTATION.test(line));
    if (changedExpectations.length > 0)
      reasons.push({ path, reason: `changes what existing tests expect (${quoted(changedExpectations)})` });
  }
  return reasons;
}

/** The changed files that hold expectations, by the patterns above. */
export const isExpectationFile = picomatch([...EXPECTATION_FILES], { dot: true });

function lines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim().replace(/\s+/g, " "));
}

function count(text: readonly string[], patterns: readonly RegExp[]): number {
  return text.filter((line) => patterns.some((re) => re.test(line))).length;
}

/** Lines of `b` that `a` does not have (as a multiset), i.e. added going from `a` to `b`. */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of a) left.set(line, (left.get(line) ?? 0) + 1);
  return b.filter((line) => {
    const n = left.get(line) ?? 0;
    if (n === 0) return line !== "";
    left.set(line, n - 1);
    return false;
  });
}

function quoted(found: readonly string[]): string {
  const shown = found.slice(0, 2).map((line) => `\`${line.slice(0, 80).replace(/`/g, "'")}\``);
  return found.length > 2 ? `${shown.join(", ")} and ${found.length - 2} more` : shown.join(", ");
}
