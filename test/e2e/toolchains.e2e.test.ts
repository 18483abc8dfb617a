import { describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { git } from "../helpers/git-fixtures.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { defaultToolchainDir } from "../../src/workspace/toolchain/set-up-toolchains.ts";
import { RUST_TESTS_DIR } from "../fixtures/test-layouts.ts";
import { GREETING_WITH_LOCKFILE } from "../fixtures/greeting-with-lockfile.ts";

/**
 * Node.js versions are fetched once into the user's cache and kept across test runs, as the app
 * keeps them across jobs; the other toolchains are the machine's (Debian's python3, golang, cargo).
 */
const app = { settings: { ISSUE_AGENT_TOOLCHAIN_DIR: defaultToolchainDir() } };
const TIMEOUT = 300_000;

const finish = call("finish", { title: "Fix it", summary: "Fixes the issue.", rationale: "As asked." });

/** The scripted agent writing each file. */
const writes = (files: Record<string, string>) =>
  Object.entries(files).map(([file, content]) => call("write_file", { path: file, content }));

/** What a job's check run said, all of it. */
const checkText = (record: { checkRunUpdates: unknown[] }) => JSON.stringify(record.checkRunUpdates);

/** The test-first gate's verdict on the published step, as the PR body shows it. */
function expectTestFirstPassed(record: { pulls: Array<Record<string, unknown>> }): string {
  const body = String(record.pulls[0]!.body);
  expect(body).toMatch(/\| test-first \| ✅/);
  return body;
}

/**
 * GREETING_WITH_LOCKFILE pinned to Node 22, its dependency installed by `npm ci`, and a setup step that
 * creates two project tools: `tsc` (on the default allow list) and one named like a system command.
 */
const NODE_22_REPO: Record<string, string> = {
  ...GREETING_WITH_LOCKFILE,
  ".nvmrc": "22\n",
  "scripts/tools.js": [
    'import { mkdirSync, writeFileSync } from "node:fs";',
    'mkdirSync("node_modules/.bin", { recursive: true });',
    'const tool = (name, text) => writeFileSync(`node_modules/.bin/${name}`, `#!/bin/sh\\necho "${text}"\\n`, { mode: 0o755 });',
    'tool("tsc", `project tool on node ${process.version}`);',
    'tool("ls", "SHADOWED-by-setup");',
    "",
  ].join("\n"),
  // Passes only on the declared Node.js: run by test-first on the base and on the head.
  "test/node-version.test.js":
    'import { test } from "node:test";\nimport assert from "node:assert/strict";\n\ntest("runs on the declared Node.js", () => {\n  assert.equal(process.versions.node.split(".")[0], "22");\n});\n',
};
const NODE_SETUP = "setup:\n  - npm ci --no-audit --no-fund\n  - node scripts/tools.js\n";

/** What the model writes, after setup, to stand in for commands the policy judges by name. */
const PLANT = `node -e 'const fs = require("fs"); fs.mkdirSync(".venv/bin", { recursive: true }); for (const f of ["node_modules/.bin/git", ".venv/bin/ls", ".venv/bin/cat"]) fs.writeFileSync(f, "#!/bin/sh\\necho SHADOWED-by-model\\n", { mode: 0o755 })'`;

describe("toolchains the repository declares, through the real setup, sandbox and test-first gate", () => {
  it(
    "Node.js: provisions the .nvmrc version, runs setup, tests and the agent's commands on it, finds the project's tools but never lets them shadow a command",
    async () => {
      const { h, record } = await runLabeledJob(
        [
          call("run_command", { command: "node --version; tsc; command -v npm" }),
          call("run_command", { command: PLANT }),
          call("run_command", { command: "git --version; ls -d src; cat .nvmrc; tsc" }),
          testGreeting,
          fixGreeting,
          finish,
        ],
        { files: NODE_22_REPO, config: NODE_SETUP, pullRequests: 1, app },
      );
      // The agent's commands: Node 22, and the project's tool by name, run by it.
      expect(toolResult(h, 1)).toMatch(/^v22\.\d+\.\d+$/m);
      expect(toolResult(h, 1)).toMatch(/project tool on node v22\./);
      // npm is the one installed beside that Node.js, not the app's (which may not run on it).
      expect(toolResult(h, 1)).toMatch(/\/node\/22\.\d+\.\d+\/node_modules\/\.bin\/npm$/m);
      // Files the model wrote after setup are never found by name; nor is setup's own `ls`.
      const after = toolResult(h, 3);
      expect(after).toMatch(/git version \d/);
      expect(after).toMatch(/^src$/m);
      expect(after).toMatch(/^22$/m);
      expect(after).not.toContain("SHADOWED");
      // An entry setup linked runs what is at its place now: a project tool, like the tests.
      expect(after).toContain("project tool on node v22.");
      const check = checkText(record);
      expect(check).toMatch(
        /🔧 Toolchains for setup and tests: Node\.js 22\.\d+\.\d+ \(`\.nvmrc` says `22`\)/,
      );
      expect(check).toContain(
        "🧰 Setup (`.github/agent.yml`): `npm ci --no-audit --no-fund`, then `node scripts/tools.js` — done",
      );
      const body = expectTestFirstPassed(record);
      expect(body).toMatch(/🔧 Toolchains for setup and tests: Node\.js 22\.\d+\.\d+/);
      const branch = record.pulls[0]!.head as string;
      expect(git(h.bare, "diff", "--name-only", "main", branch).trim().split("\n").sort()).toEqual([
        "src/greet.js",
        "test/greet.test.js",
      ]);
    },
    TIMEOUT,
  );

  it(
    "Python: the .python-version it declares, a venv set up on the base, and pytest run by `python3` from the venv",
    async () => {
      const { h, record } = await runLabeledJob(
        [
          call("run_command", { command: "python3 -c 'import sys, pytest; print(sys.prefix)'" }),
          ...writes({
            "calc.py": "def add(a, b):\n    return a + b\n",
            "tests/test_zero.py":
              "from calc import add\n\n\ndef test_add_zero():\n    assert add(0, 2) == 2\n",
          }),
          finish,
        ],
        {
          files: {
            ".python-version": "3.11\n",
            ".gitignore": ".venv/\n__pycache__/\n",
            "pyproject.toml":
              '[project]\nname = "calc"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
            "calc.py": "def add(a, b):\n    return a + b if a and b else 0\n",
            "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
          },
          // The sandbox's setup has no route to PyPI here: the venv takes pytest from Debian's python3-pytest.
          config: "setup: ['python3 -m venv --system-site-packages .venv']\n",
          pullRequests: 1,
          app,
        },
      );
      expect(toolResult(h, 1)).toMatch(/\/repo\/\.venv$/m);
      const check = checkText(record);
      expect(check).toMatch(/Python 3\.11\.\d+ \(`\.python-version` says `3\.11`\)/);
      expect(check).toContain(
        "🧰 Setup (`.github/agent.yml`): `python3 -m venv --system-site-packages .venv`",
      );
      expect(expectTestFirstPassed(record)).toMatch(
        /`\.venv\/bin\/python -m pytest -q` \(detected from `pyproject\.toml`\) failed before the change/,
      );
    },
    TIMEOUT,
  );

  it(
    "Go: the go.mod's go line served by the machine's go, `go test` failing on the base and passing on the head",
    async () => {
      const greet = (body: string) => `package greet\n\nfunc Greet(name string) string { return ${body} }\n`;
      const { record } = await runLabeledJob(
        [
          ...writes({
            "greet.go": greet('"Hello, " + name + "!"'),
            "greet_test.go":
              'package greet\n\nimport "testing"\n\nfunc TestGreet(t *testing.T) {\n\tif got := Greet("Ada"); got != "Hello, Ada!" {\n\t\tt.Errorf("got %q", got)\n\t}\n}\n',
          }),
          finish,
        ],
        {
          files: { "go.mod": "module example.com/greet\n\ngo 1.19\n", "greet.go": greet('"Hello " + name') },
          pullRequests: 1,
          app,
        },
      );
      const check = checkText(record);
      expect(check).toMatch(/Go 1\.\d+(\.\d+)? \(the `go` line of `go\.mod` says `1\.19`\)/);
      expect(check).toContain("🧰 Setup (detected from `go.mod`): `go mod download`");
      expect(expectTestFirstPassed(record)).toContain('got \\"Hello Ada\\"'.replaceAll("\\", ""));
    },
    TIMEOUT,
  );

  it(
    "Rust: rust-toolchain.toml served by the machine's rustc, `cargo test` failing on the base and passing on the head",
    async () => {
      const { record } = await runLabeledJob([...writes(RUST_TESTS_DIR.step), finish], {
        files: {
          ...RUST_TESTS_DIR.base,
          "rust-toolchain.toml": '[toolchain]\nchannel = "1.60"\n',
          "Cargo.lock":
            '# This file is automatically @generated by Cargo.\nversion = 3\n\n[[package]]\nname = "greet"\nversion = "0.1.0"\n',
        },
        pullRequests: 1,
        app,
      });
      const check = checkText(record);
      expect(check).toMatch(/Rust 1\.\d+\.\d+ \(`rust-toolchain\.toml` says `1\.60`\)/);
      expect(check).toContain("🧰 Setup (detected from `Cargo.lock`): `cargo fetch --locked`");
      expect(expectTestFirstPassed(record)).toContain("`cargo test --offline`");
    },
    TIMEOUT,
  );

  it(
    "stops before any model call when the repository declares a version the app cannot provide, saying which",
    async () => {
      const { h, record } = await runLabeledJob([finish], {
        files: { ...GREETING_REPO, ".python-version": "3.99\n" },
        app,
      });
      expect(h.model.requests).toHaveLength(0);
      const check = record.checkRunUpdates.at(-1)!;
      expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(check.output.title).toContain("stopped: setup failed");
      const summary = check.output.summary as string;
      expect(summary).toMatch(
        /The repository declares toolchain versions this app cannot provide:\n\n- `\.python-version` asks for Python `3\.99`, but the sandbox has Python 3\.\d+\.\d+ \(`python3`\)\./,
      );
      expect(summary).toContain("no model tokens were spent");
    },
    TIMEOUT,
  );
});
