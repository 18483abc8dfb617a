import picomatch from "picomatch";

export interface TestFileRules {
  patterns: readonly string[];
  exempt: readonly string[];
}

/** Splits a change into test files, exempt files (documentation) and the rest. */
export function classifyTestFiles(paths: readonly string[], rules: TestFileRules) {
  const isTest = picomatch([...rules.patterns], { dot: true });
  const isExempt = picomatch([...rules.exempt], { dot: true });
  const tests = paths.filter((p) => isTest(p));
  const rest = paths.filter((p) => !isTest(p));
  return { tests, onlyExempt: rest.length > 0 && tests.length === 0 && rest.every((p) => isExempt(p)) };
}
