import { describe, expect, it } from "vitest";
import { git } from "../helpers/git-fixtures.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { GREETING_WITH_LOCKFILE } from "../fixtures/greeting-with-lockfile.ts";

const finish = call("finish", {
  title: "Punctuate the greeting",
  summary: "greet() says `Hello, <name>!`.",
  rationale: "As the issue asks.",
});

describe("setting up the workspace before the agent starts", () => {
  it("installs from the lockfile it detects, says so in the check run and the prompt, and keeps setup output out of the PR", async () => {
    const { h, record } = await runLabeledJob(
      [
        call("run_command", {
          command: `node -p "require('pad')('installed')"; echo "cache=[$npm_config_cache]"`,
        }),
        testGreeting,
        fixGreeting,
        finish,
      ],
      {
        files: GREETING_WITH_LOCKFILE,
        config: "gates:\n  tests:\n    command: node --test\n",
        pullRequests: 1,
      },
    );
    // Installed before the first turn; the package cache is not the agent's to see.
    expect(toolResult(h, 1)).toContain("installed!");
    expect(toolResult(h, 1)).toContain("cache=[]");
    const task = String(h.model.requests[0]!.body.messages[1]!.content);
    expect(task).toContain(
      "The workspace was set up before you started with: `npm ci --no-audit --no-fund`; dependencies are installed.",
    );
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ conclusion: "success" });
    expect(JSON.stringify(record.checkRunUpdates)).toMatch(
      /🧰 Setup \(detected from `package-lock.json`\): `npm ci --no-audit --no-fund` — done in \d+\.\d s\./,
    );
    // The pull request carries the change and nothing the install wrote.
    const branch = record.pulls[0]!.head as string;
    const files = git(h.bare, "ls-tree", "-r", "--name-only", branch).trim().split("\n");
    expect(files.filter((file) => file.startsWith("node_modules"))).toEqual([]);
    expect(git(h.bare, "diff", "--name-only", "main", branch).trim().split("\n").sort()).toEqual([
      "src/greet.js",
      "test/greet.test.js",
    ]);
  });

  it("undoes what setup changed in tracked files and excludes what it created", async () => {
    const { h, record } = await runLabeledJob([testGreeting, fixGreeting, finish], {
      config: [
        "setup:",
        '  - "echo built > setup-report.txt && mkdir -p dist && echo x > dist/app.js"',
        "  - \"printf '\\\\n' >> package.json\"",
        "gates:\n  tests:\n    command: node --test",
      ].join("\n"),
      pullRequests: 1,
    });
    expect(JSON.stringify(record.checkRunUpdates)).toContain(
      "Setup changed tracked files (`package.json`); those changes were undone, so they cannot reach the pull request. Left out of every commit, as setup output: `dist/`, `setup-report.txt`.",
    );
    const branch = record.pulls[0]!.head as string;
    expect(git(h.bare, "diff", "--name-only", "main", branch).trim().split("\n").sort()).toEqual([
      "src/greet.js",
      "test/greet.test.js",
    ]);
  });

  it("ends the job before any model call when setup fails, with the command, its exit and its last lines", async () => {
    const { h, record } = await runLabeledJob([finish], {
      config: "setup: [\"echo resolving; echo 'npm error 404 Not Found - left-pad@9.9.9' >&2; exit 3\"]\n",
    });
    expect(h.model.requests).toHaveLength(0);
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check.output.title).toContain("stopped: setup failed");
    const summary = check.output.summary as string;
    expect(summary).toContain(
      "setup failed: `echo resolving; echo 'npm error 404 Not Found - left-pad@9.9.9' >&2; exit 3` exited 3 after",
    );
    expect(summary).toContain("(setup `.github/agent.yml`), last lines:");
    expect(summary).toContain("resolving\nnpm error 404 Not Found - left-pad@9.9.9");
    expect(summary).toContain("no model tokens were spent");
    expect(record.commentEdits.at(-1)?.body ?? record.comments.at(-1)?.body).toContain("setup failed");
  });

  it("stops setup at its time limit", async () => {
    const { h, record } = await runLabeledJob([finish], {
      config: 'setup:\n  commands: ["echo started; sleep 30"]\n  timeout_minutes: 0.02\n',
    });
    expect(h.model.requests).toHaveLength(0);
    const summary = record.checkRunUpdates.at(-1)!.output.summary as string;
    expect(summary).toContain(
      "setup failed: `echo started; sleep 30` was still running when setup's 1 s ran out",
    );
    expect(summary).toContain("Raise `setup.timeout_minutes`");
  });

  it("passes setup where the trusted certificates are and what ISSUE_AGENT_SETUP_ENV names, never a proxy's password", async () => {
    const { record } = await runLabeledJob([finish], {
      config:
        "setup: ['echo \"proxy=$HTTPS_PROXY no_proxy=[$NO_PROXY] key=[$OPENAI_API_KEY] ca=[$NODE_EXTRA_CA_CERTS]\"; exit 1']\n",
      app: {
        settings: { ISSUE_AGENT_SETUP_ENV: ["HTTPS_PROXY"] },
        env: {
          HTTPS_PROXY: "http://builder:pr0xy-passw0rd@proxy.internal:3128",
          NO_PROXY: "localhost",
          NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/corporate-root.pem",
        },
      },
    });
    const summary = record.checkRunUpdates.at(-1)!.output.summary as string;
    expect(summary).toContain("proxy=[REDACTED] no_proxy=[] key=[] ca=[/etc/ssl/certs/corporate-root.pem]");
    expect(JSON.stringify(record)).not.toContain("pr0xy-passw0rd");
  });
});
