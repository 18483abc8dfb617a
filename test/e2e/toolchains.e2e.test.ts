import { describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { git } from "../helpers/git-fixtures.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { closeHarnessAfterEach, runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { defaultToolchainDir } from "../../src/workspace/toolchain/set-up-toolchains.ts";

closeHarnessAfterEach();

/**
 * Node.js versions are fetched once into the user's cache and kept across test runs, as the app
 * keeps them across jobs; the other toolchains are the machine's (Debian's python3, golang, cargo).
 */
const app = { settings: { ISSUE_AGENT_TOOLCHAIN_DIR: defaultToolchainDir() } };
const TIMEOUT = 300_000;

const finish = call("finish", { title: "Fix it", summary: "Fixes the issue.", rationale: "As asked." });

/** What a job's check run said, all of it. */
const checkText = (record: { checkRunUpdates: unknown[] }) => JSON.stringify(record.checkRunUpdates);

/** The test-first gate's verdict on the published step, as the PR body shows it. */
function expectTestFirstPassed(record: { pulls: Array<Record<string, unknown>> }): string {
  const body = String(record.pulls[0]!.body);
  expect(body).toMatch(/\| test-first \| ✅/);
  return body;
}

/**
 * GREETING_REPO pinned to Node 22, with a dependency installed by `npm ci` and a setup step that
 * creates two project tools: `tsc` (on the default allow list) and one named like a system command.
 */
const NODE_22_REPO: Record<string, string> = {
  ...GREETING_REPO,
  ".nvmrc": "22\n",
  "package.json": `${JSON.stringify({ name: "hello", type: "module", scripts: { test: "node --test" }, dependencies: { pad: "file:vendor/pad" } }, null, 2)}\n`,
  "package-lock.json": `${JSON.stringify(
    {
      name: "hello",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "hello", dependencies: { pad: "file:vendor/pad" } },
        "node_modules/pad": { resolved: "vendor/pad", link: true },
        "vendor/pad": { version: "1.0.0" },
      },
    },
    null,
    2,
  )}\n`,
  "vendor/pad/package.json": '{ "name": "pad", "version": "1.0.0", "main": "index.js" }\n',
  "vendor/pad/index.js": 'module.exports = (s) => s + "!";\n',
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
          call("run_command", { command: "node --version; tsc" }),
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
});
