import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { classifyTestFiles } from "../../src/gates/classify-test-files.ts";
import { lintCommandFor } from "../../src/gates/lint-gate.ts";
import { pathsGate } from "../../src/gates/paths-gate.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";

const rules = parseAgentConfig(undefined).gates.tests;

describe("pathsGate", () => {
  it("fails on any changed path outside the rules, naming each with its reason", () => {
    const policy = new PathPolicy(
      parseAgentConfig({ paths: { write: ["src/**"], forbidden: ["secrets/**"] } }).paths,
    );
    const result = pathsGate([{ path: "src/a.ts" }, { path: "README.md" }, { path: "secrets/k" }], policy);
    expect(result.status).toBe("failed");
    expect(result.files).toEqual([
      { path: "README.md", message: "Changed a path that is outside the writable paths (paths.write)." },
      { path: "secrets/k", message: "Changed a path that is forbidden (paths.forbidden)." },
    ]);
  });
});

describe("classifyTestFiles", () => {
  it.each([
    [["src/a.ts", "src/a.test.ts"], ["src/a.test.ts"], false],
    [["lib/x.py", "tests/test_x.py"], ["tests/test_x.py"], false],
    [["pkg/x.go", "pkg/x_test.go"], ["pkg/x_test.go"], false],
    [["src/a.ts"], [], false],
    [["README.md", "docs/setup.md"], [], true],
    [["README.md", "src/a.ts"], [], false],
    [["index.js", "test.js"], ["test.js"], false],
    [["calc.py", "tests.py", "conftest.py"], ["tests.py", "conftest.py"], false],
    [["lib/a.rb", "spec/a_spec.rb"], ["spec/a_spec.rb"], false],
    [["lib/a.js", "lib/a-test.js", "lib/a_spec.js"], ["lib/a-test.js", "lib/a_spec.js"], false],
    [["lib/Greet.pm", "t/greet.t", "t/unit/x.t"], ["t/greet.t", "t/unit/x.t"], false],
    [["src/main/java/A.java", "src/test/java/ATest.java"], ["src/test/java/ATest.java"], false],
    [["src/lib.rs", "tests/greet.rs"], ["tests/greet.rs"], false],
    [["src/a.js", "src/__snapshots__/a.test.js.snap"], ["src/__snapshots__/a.test.js.snap"], false],
    [["lib/test.js", "src/contest.py"], [], false],
  ])("%j → tests %j, documentation only %s", (paths, tests, onlyExempt) => {
    expect(classifyTestFiles(paths, rules)).toEqual({ tests, onlyExempt });
  });
});

describe("lintCommandFor", () => {
  it("substitutes the shell-quoted files, including awkward names", () => {
    expect(lintCommandFor("npx prettier --check {files}", ["src/a.ts", "it's here.ts"])).toBe(
      "npx prettier --check 'src/a.ts' 'it'\\''s here.ts'",
    );
    expect(lintCommandFor("npm run lint", ["a.ts"])).toBe("npm run lint");
  });
});
