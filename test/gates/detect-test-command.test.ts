import { describe, expect, it } from "vitest";
import { planTestCommand } from "../../src/gates/detect-test-command.ts";

function root(files: Record<string, string>) {
  return { files: new Set(Object.keys(files)), read: (file: string) => files[file] };
}
const pkg = (test: string) => JSON.stringify({ scripts: { test } });

describe("planTestCommand", () => {
  it.each([
    [
      "package.json scripts.test",
      { "package.json": pkg("ava") },
      "npm test",
      "detected from `package.json` scripts.test",
    ],
    [
      "Makefile test target",
      { Makefile: "build:\n\tcc x.c\n\ntest: build\n\t./run\n" },
      "make test",
      "detected from the `test` target in `Makefile`",
    ],
    [
      "Cargo.toml",
      { "Cargo.toml": "[package]\n", "Cargo.lock": "" },
      "cargo test --offline",
      "detected from `Cargo.toml`",
    ],
    ["go.mod", { "go.mod": "module x\n" }, "go test ./...", "detected from `go.mod`"],
    ["pom.xml", { "pom.xml": "<project/>" }, "mvn -q test", "detected from `pom.xml`"],
    [
      "build.gradle with a wrapper",
      { "build.gradle": "", gradlew: "" },
      "./gradlew test --offline",
      "detected from `build.gradle`",
    ],
    [
      "pytest in pyproject.toml",
      { "pyproject.toml": "[tool.pytest.ini_options]\n", tests: "" },
      "python3 -m pytest -q",
      "detected from `pyproject.toml`",
    ],
    [
      "conftest.py, with setup's .venv",
      { "conftest.py": "", ".venv": "", "requirements.txt": "" },
      ".venv/bin/python -m pytest -q",
      "detected from `conftest.py`",
    ],
    [
      "python without pytest, tests/",
      { "setup.py": "", tests: "" },
      "python3 -m unittest discover -v -s tests",
      "detected from `setup.py` (no pytest configured, so the standard library's unittest)",
    ],
    [
      "a root tests.py",
      { "tests.py": "import unittest\n" },
      "python3 -m unittest discover -v",
      "detected from `tests.py` (no pytest configured, so the standard library's unittest)",
    ],
    ["Perl t/", { "Makefile.PL": "", t: "" }, "prove -lr t", "detected from `t/` and the Perl build file"],
    ["RSpec", { Gemfile: "", spec: "" }, "bundle exec rspec", "detected from `Gemfile` and `spec/`"],
  ])("%s", (_name, files, command, source) => {
    expect(planTestCommand(undefined, root(files))).toEqual({ command, source });
  });

  it("prefers the project's own declaration: a package.json script over the layout", () => {
    expect(planTestCommand(undefined, root({ "package.json": pkg("jest"), "go.mod": "" })).command).toBe(
      "npm test",
    );
  });

  it("ignores npm's placeholder script and an unreadable package.json", () => {
    const placeholder = pkg('echo "Error: no test specified" && exit 1');
    expect(planTestCommand(undefined, root({ "package.json": placeholder }))).toEqual({
      command: undefined,
      source: "none configured, and none detected at the repository root",
    });
    expect(planTestCommand(undefined, root({ "package.json": "{", "go.mod": "" })).command).toBe(
      "go test ./...",
    );
  });

  it("uses the configured command, and `none` turns the tests off even where one would be detected", () => {
    const files = root({ "package.json": pkg("ava") });
    expect(planTestCommand("npx vitest run", files)).toEqual({
      command: "npx vitest run",
      source: "configured in `.github/agent.yml`",
    });
    expect(planTestCommand("none", files)).toEqual({
      command: undefined,
      source: "turned off by `gates.tests.command: none`",
      off: true,
    });
  });
});
