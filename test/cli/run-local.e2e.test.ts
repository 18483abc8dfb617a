import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { createRemoteRepository, git } from "../helpers/git-fixtures.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { expectProcessGone } from "../helpers/process-gone.ts";
import { processRunning } from "../helpers/process-running.ts";
import { call, ScriptedModelServer, type ScriptedTurn } from "../helpers/scripted-model-server.ts";
import { waitFor } from "../helpers/wait-for.ts";

const run = promisify(execFile);
const CLI = path.resolve("src/cli/main.ts");
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** What GitHub's wording would put in front of a terminal user. */
const GITHUB_PHRASES = /@\w|`\/agent|label the issue|Started by/;

/** A clone of GREETING_REPO, a scratch directory (output, TMPDIR) and a scripted model. */
async function setUp(script: ScriptedTurn[]) {
  const remote = createRemoteRepository(GREETING_REPO);
  cleanups.push(remote.cleanup);
  const clone = path.join(remote.root, "clone");
  git(remote.root, "clone", "--quiet", remote.bare, clone);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "issue-agent-out-"));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const model = new ScriptedModelServer(script);
  const baseURL = await model.start();
  cleanups.push(() => model.stop());
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: scratch,
    TMPDIR: scratch,
    OPENAI_BASE_URL: baseURL,
    ISSUE_AGENT_MODEL: "local-model",
  };
  const workspaces = () => readdirSync(scratch).filter((name) => name.startsWith("issue-agent-local-"));
  return { clone, scratch, model, env, workspaces };
}

const finishGreeting = call("finish", {
  title: "Punctuate the greeting",
  summary: "Adds the comma.",
  rationale: "As asked.",
});

describe("issue-agent run (no GitHub)", () => {
  it("leaves a branch with the agent's commit in the local clone and the PR description in a file", async () => {
    const { clone, scratch: out, model, env } = await setUp([fixGreeting, testGreeting, finishGreeting]);
    const issueFile = path.join(out, "issue.md");
    writeFileSync(issueFile, "# Greeting lacks punctuation\n\nIt should say `Hello, Ada!`.\n");

    const result = await run(
      process.execPath,
      [CLI, "run", "--repo", clone, "--issue", issueFile, "--out", out],
      { env, cwd: env.HOME },
    );

    const prFile = result.stdout.trim();
    expect(prFile).toBe(path.join(out, "agent-1-greeting-lacks-punctuation.md"));
    const description = readFileSync(prFile, "utf8");
    expect(description).toContain("# Punctuate the greeting");
    expect(description).toContain("## Rationale\nAs asked.");
    expect(git(clone, "show", "agent/1-greeting-lacks-punctuation:src/greet.js")).toContain(
      "`Hello, ${name}!`",
    );
    expect(git(clone, "log", "--format=%an %s", "-1", "agent/1-greeting-lacks-punctuation")).toBe(
      "issue-agent Punctuate the greeting\n",
    );
    // The user's own checkout is untouched: still on main, clean.
    expect(git(clone, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("main");
    expect(git(clone, "status", "--porcelain")).toBe("");
    expect(model.requests[0]!.body.model).toBe("local-model");
    // The job's page, as the app would serve it, written beside the PR description: no script at all.
    const log = readFileSync(path.join(out, "issue-agent-log-1.html"), "utf8");
    expect(log).toContain(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`);
    expect(log).toContain("Greeting lacks punctuation");
    expect(log).toContain("edit_file");
    expect(log).not.toMatch(/<script/i);
  });

  it("shows each phase and each tool call once, as it happens, in a terminal's words", async () => {
    const {
      clone,
      scratch: out,
      model,
      env,
      workspaces,
    } = await setUp([
      call("update_plan", { steps: [{ title: "Punctuate the greeting", status: "in_progress" }] }),
      call("ask_question", { question: "Should it say Hello or Hi?" }),
      call("run_command", { command: "pip install requests" }),
      fixGreeting,
      testGreeting,
      call("run_command", { command: "cat src/greet.js" }),
      finishGreeting,
    ]);

    const { stderr } = await run(
      process.execPath,
      [
        CLI,
        "run",
        "--repo",
        clone,
        "--issue",
        "Greeting lacks punctuation\n\nSay `Hello, Ada!`.",
        "--out",
        out,
      ],
      { env, cwd: env.HOME },
    );

    const lines = stderr.split("\n");
    const progress = [
      `issue-agent: working on "Greeting lacks punctuation" in ${clone}`,
      "Reading the issue and preparing a workspace",
      "The agent is working",
      "  update_plan 0 of 1 steps done; now: Punctuate the greeting",
      "  ask_question Should it say Hello or Hi?",
      "  run_command pip install requests",
      "Denied (no terminal to ask): pip install requests",
      "  edit_file src/greet.js",
      "The agent is working (turn 5)",
      "  edit_file test/greet.test.js",
      "  run_command cat src/greet.js",
      "  finish Punctuate the greeting",
      "Publishing the pull request",
    ];
    for (const line of progress) expect(lines.filter((l) => l === line)).toEqual([line]);
    expect(lines.filter((l) => progress.includes(l))).toEqual(progress); // in this order
    expect(lines.filter((l) => l.startsWith("    refused by the approval"))).toHaveLength(1);
    // Nobody can answer at a terminal without input: the agent is told to decide, not left waiting.
    expect(JSON.stringify(model.requests[2]!.body.messages.at(-1))).toContain(
      "Nobody can answer during this run",
    );
    expect(stderr).toContain("\nDone\n");
    expect(stderr).toContain(
      `Kept in ${clone}:\n  branch agent/1-greeting-lacks-punctuation, described in ${path.join(out, "agent-1-greeting-lacks-punctuation.md")}`,
    );
    expect(stderr).not.toMatch(GITHUB_PHRASES);
    expect(workspaces()).toEqual([]);
  });

  it("says to run the command again, not to comment, after a model failure", async () => {
    const {
      clone,
      scratch: out,
      env,
    } = await setUp([{ status: 400, body: { error: { message: "Bad request" } } }]);
    const failure = await run(
      process.execPath,
      [CLI, "run", "--repo", clone, "--issue", "Greeting lacks punctuation", "--out", out],
      { env, cwd: env.HOME },
    ).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toContain("Failed: stopped: the model endpoint failed");
    expect(stderr).toContain(
      "What to do: This is usually temporary. Run the same `issue-agent run` command again.",
    );
    expect(stderr).toContain(`Kept: nothing; no branch was pushed to ${clone}.`);
    expect(stderr).not.toMatch(GITHUB_PHRASES);
  });

  it("stops on Ctrl-C: kills the running command, removes the workspace and says what was kept", async () => {
    const {
      clone,
      scratch: out,
      env,
      workspaces,
    } = await setUp([call("run_command", { command: "sleep 37.25" }), finishGreeting]);
    const child = spawn(
      process.execPath,
      [CLI, "run", "--repo", clone, "--issue", "Greeting lacks punctuation", "--out", out],
      { env, cwd: env.HOME, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    const commandStarted = new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        if (stderr.includes("  run_command sleep 37.25\n")) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await commandStarted;
    // Mid-run: the workspace exists and the sandboxed command is running.
    expect(workspaces()).toHaveLength(1);
    await waitFor(() => processRunning("sleep 37.25"), 20_000, 100);
    const interruptedAt = Date.now();
    child.kill("SIGINT");
    const code = await exited;

    expect(code).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(20_000);
    expect(stderr).toContain("Stopping… (press Ctrl-C again to quit at once)");
    expect(stderr).toContain(
      `Stopped (Ctrl-C). The job's workspace was removed.\nKept: nothing; no branch was pushed to ${clone}.`,
    );
    expect(stderr).not.toMatch(GITHUB_PHRASES);
    expect(workspaces()).toEqual([]);
    expect(git(clone, "branch", "--list", "agent/*")).toBe("");
    // The sandbox's own init dies with it, which the kernel finishes a moment later.
    await expectProcessGone("sleep 37.25");
  });
});
