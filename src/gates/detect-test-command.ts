/** The command the test-first gate runs, and where it came from (shown in the check run). */
export interface TestCommandPlan {
  /** Undefined when the tests cannot be run: turned off, or nothing was detected. */
  command: string | undefined;
  /** "configured in `.github/agent.yml`", "detected from `package.json` scripts.test", or why there is none. */
  source: string;
  /** True when the repository turned the tests off (`gates.tests.command: none`). */
  off?: boolean;
}

/** What detection may look at: the names at the repository root and the text of a root file. */
export interface RepositoryRoot {
  files: ReadonlySet<string>;
  read: (file: string) => string | undefined;
}

/** npm writes this placeholder into every `npm init`ed package.json; it is not a test suite. */
const NPM_PLACEHOLDER = /no test specified/i;
const PYTEST_CONFIG = ["pytest.ini", "conftest.py"];
const PYTHON_MARKERS = ["pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "tests.py", "tox.ini"];

type Detector = (root: RepositoryRoot) => TestCommandPlan | undefined;

/**
 * One detector per ecosystem, in order; the first that recognises the repository wins. The
 * project's own declaration (a package.json script, a Makefile target) comes before a guess from
 * its layout, as a maintainer would run it.
 */
const DETECTORS: readonly Detector[] = [
  (root) => {
    const script = packageTestScript(root.read("package.json"));
    return script ? { command: "npm test", source: "detected from `package.json` scripts.test" } : undefined;
  },
  (root) => {
    if (!root.files.has("Makefile") && !root.files.has("makefile")) return undefined;
    const makefile = root.read("Makefile") ?? root.read("makefile") ?? "";
    return /^test\s*:/m.test(makefile)
      ? { command: "make test", source: "detected from the `test` target in `Makefile`" }
      : undefined;
  },
  (root) =>
    root.files.has("Cargo.toml")
      ? { command: "cargo test --offline", source: "detected from `Cargo.toml`" }
      : undefined,
  (root) =>
    root.files.has("go.mod") ? { command: "go test ./...", source: "detected from `go.mod`" } : undefined,
  (root) =>
    root.files.has("pom.xml") ? { command: "mvn -q test", source: "detected from `pom.xml`" } : undefined,
  (root) => {
    const build = ["build.gradle", "build.gradle.kts"].find((file) => root.files.has(file));
    if (!build) return undefined;
    const gradle = root.files.has("gradlew") ? "./gradlew" : "gradle";
    return { command: `${gradle} test --offline`, source: `detected from \`${build}\`` };
  },
  detectPython,
  (root) =>
    root.files.has("t") && (root.files.has("Makefile.PL") || root.files.has("Build.PL"))
      ? { command: "prove -lr t", source: "detected from `t/` and the Perl build file" }
      : undefined,
  (root) =>
    root.files.has("Gemfile") && (root.files.has("spec") || root.files.has(".rspec"))
      ? { command: "bundle exec rspec", source: "detected from `Gemfile` and `spec/`" }
      : undefined,
];

/**
 * The test command for a repository: the configured one (`none` turns the tests off), otherwise
 * one detected from its root like setup is. Pure: it sees only names and the files it asks for.
 */
export function planTestCommand(configured: string | undefined, root: RepositoryRoot): TestCommandPlan {
  if (configured?.trim() === "none")
    return { command: undefined, source: "turned off by `gates.tests.command: none`", off: true };
  if (configured) return { command: configured, source: "configured in `.github/agent.yml`" };
  for (const detect of DETECTORS) {
    const plan = detect(root);
    if (plan) return plan;
  }
  return { command: undefined, source: "none configured, and none detected at the repository root" };
}

function packageTestScript(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const script = (JSON.parse(text) as { scripts?: { test?: unknown } }).scripts?.test;
    return typeof script === "string" && script.trim() && !NPM_PLACEHOLDER.test(script) ? script : undefined;
  } catch {
    // An unreadable package.json says nothing about how to test; the other detectors may.
    return undefined;
  }
}

/**
 * pytest when the project says so (its config, or pytest named among its dependencies), otherwise
 * the standard library's unittest, which runs without installing anything. A `.venv` made by setup
 * holds the project's dependencies, so its interpreter is preferred.
 */
function detectPython(root: RepositoryRoot): TestCommandPlan | undefined {
  const marker = PYTHON_MARKERS.find((file) => root.files.has(file));
  const rootTests = [...root.files].find((file) => /^test_.*\.py$/.test(file));
  if (!marker && !rootTests && !PYTEST_CONFIG.some((file) => root.files.has(file))) return undefined;
  const python = root.files.has(".venv") ? ".venv/bin/python" : "python3";
  const pytestConfig = PYTEST_CONFIG.find((file) => root.files.has(file));
  const declared = [
    "pyproject.toml",
    "setup.cfg",
    "tox.ini",
    "requirements.txt",
    "requirements-dev.txt",
  ].find((file) => root.files.has(file) && /\bpytest\b/.test(root.read(file) ?? ""));
  const pytestFrom = pytestConfig ?? declared;
  if (pytestFrom) return { command: `${python} -m pytest -q`, source: `detected from \`${pytestFrom}\`` };
  // Discovery does not enter a tests directory that is not a package, so it starts there.
  const start = ["tests", "test"].find((dir) => root.files.has(dir));
  return {
    command: `${python} -m unittest discover -v${start ? ` -s ${start}` : ""}`,
    source: `detected from \`${marker ?? rootTests}\` (no pytest configured, so the standard library's unittest)`,
  };
}
