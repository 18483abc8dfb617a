import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { createRemoteRepository, git } from "../helpers/git-fixtures.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { call, ScriptedModelServer } from "../helpers/scripted-model-server.ts";

const run = promisify(execFile);
const CLI = path.resolve("src/cli/main.ts");
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("issue-agent run (no GitHub)", () => {
  it("leaves a branch with the agent's commit in the local clone and the PR description in a file", async () => {
    const remote = createRemoteRepository(GREETING_REPO);
    cleanups.push(remote.cleanup);
    const clone = path.join(remote.root, "clone");
    git(remote.root, "clone", "--quiet", remote.bare, clone);
    const out = mkdtempSync(path.join(os.tmpdir(), "issue-agent-out-"));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const issueFile = path.join(out, "issue.md");
    writeFileSync(issueFile, "# Greeting lacks punctuation\n\nIt should say `Hello, Ada!`.\n");

    const model = new ScriptedModelServer([
      fixGreeting,
      testGreeting,
      call("finish", { title: "Punctuate the greeting", summary: "Adds the comma.", rationale: "As asked." }),
    ]);
    const baseURL = await model.start();
    cleanups.push(() => model.stop());

    const result = await run(
      process.execPath,
      [CLI, "run", "--repo", clone, "--issue", issueFile, "--out", out],
      {
        env: {
          PATH: process.env.PATH,
          HOME: os.tmpdir(),
          OPENAI_BASE_URL: baseURL,
          ISSUE_AGENT_MODEL: "local-model",
        },
      },
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
  });

  it("explains its usage and exits 2 when arguments are missing", async () => {
    const failure = await run(process.execPath, [CLI, "run", "--repo", "."]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(
      "Usage: issue-agent run --repo <path> --issue <file or text>",
    );
  });
});
