import { describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

const finish = call("finish", {
  title: "Punctuate the greeting",
  summary: "greet() says `Hello, <name>!`.",
  rationale: "As the issue asks.",
});

describe("test-first with a detected test command", () => {
  it("runs `npm test` detected from package.json, says so, and puts both runs in the PR body", async () => {
    const { record } = await runLabeledJob([testGreeting, fixGreeting, finish], { pullRequests: 1 });
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ status: "completed", conclusion: "success" });
    expect(check.output.summary).toContain(
      "🧪 Tests: `npm test` (detected from `package.json` scripts.test).",
    );
    const body = record.pulls[0]!.body as string;
    expect(body).toContain(
      "| test-first | ✅ passed | `npm test` (detected from `package.json` scripts.test) failed before the change (exit 1) and passes with it |",
    );
    const evidence = body.slice(body.indexOf("## Test evidence"));
    expect(evidence).toMatch(
      /<details><summary>`npm test` on the base commit with only the test changes \(exit 1\)<\/summary>\n\n```\n[^]*Expected values to be strictly equal[^]*<\/details>/,
    );
    expect(evidence).toMatch(
      /<details><summary>`npm test` with the whole change \(exit 0\)<\/summary>\n\n```\n[^]*ℹ pass 2\nℹ fail 0[^]*<\/details>/,
    );
  });
});

describe("test-first that could not run the tests is never green", () => {
  it("with `gates.tests.command: none`: the PR opens, the gate and the job say not verified, with the fix", async () => {
    const { record } = await runLabeledJob([testGreeting, fixGreeting, finish], {
      config: "gates:\n  tests:\n    command: none\n",
      pullRequests: 1,
    });
    const body = record.pulls[0]!.body as string;
    expect(body).toContain(
      "| test-first | ⚪ not verified | tests changed (`test/greet.test.js`) but were not run: no test command (turned off by `gates.tests.command: none`) — Remove `gates.tests.command: none` from `.github/agent.yml` to have the tests run. |",
    );
    expect(body).toContain("## ⚪ test-first: not verified");
    expect(body).not.toContain("## Test evidence");
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(check.output.title).toBe("opened #12: tests not verified");
    expect(check.output.summary).toContain("**test-first not verified:** tests changed");
    expect(record.checkRuns.at(-1)).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(record.commentEdits.at(-1)!.body).toContain("### ⚪ issue-agent: opened #12: tests not verified");
  });

  it("with no command configured and none to detect: not verified, and the check run says how to fix it", async () => {
    const { record } = await runLabeledJob([testGreeting, fixGreeting, finish], {
      files: { ...GREETING_REPO, "package.json": '{ "name": "hello", "type": "module" }\n' },
      pullRequests: 1,
    });
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ conclusion: "neutral" });
    expect(check.output.summary).toContain(
      "🧪 Tests: no test command (none configured, and none detected at the repository root); changes with tests will be marked **not verified**, never passed.",
    );
    expect(check.output.summary).toContain(
      "Set `gates.tests.command` in `.github/agent.yml` (e.g. `npm test`, `python3 -m pytest`) so the tests run.",
    );
    expect(record.pulls[0]!.body).not.toContain("✅ passed | tests changed");
  });
});

describe("tampering is not a fix", () => {
  it("a change that rewrites an existing test's expectation opens as a labelled draft for human review", async () => {
    const rewriteExpectation = call("edit_file", {
      path: "test/greet.test.js",
      old_string: 'assert.match(greet("Ada"), /Ada/);',
      new_string: 'assert.equal(greet("Ada"), "Hello, Ada!");',
    });
    const { record } = await runLabeledJob([rewriteExpectation, fixGreeting, finish], {
      pullRequests: 1,
      labeled: [12],
    });
    expect(record.pulls[0]).toMatchObject({ draft: true });
    expect(record.pulls[0]!.body).toContain(
      '- `test/greet.test.js`: changes what existing tests expect (`assert.match(greet("Ada"), /Ada/);`)',
    );
    expect(record.labels).toEqual([{ labels: ["needs-human-review"] }]);
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ conclusion: "action_required" });
    expect(check.output.title).toBe("opened #12: needs human review");
  });
});

describe("a job that ends after a refusal names it first", () => {
  it("the diff limit: the check run and the status comment lead with the size and the limit", async () => {
    const big = Array.from({ length: 30 }, (_, i) => `export const v${i} = ${i};`).join("\n");
    const { h, record } = await runLabeledJob(
      [call("write_file", { path: "src/values.js", content: `${big}\n` }), finish, finish],
      { config: "agent:\n  max_steps: 3\ngates:\n  max_diff_lines: 10\n" },
    );
    expect(toolResult(h, 2)).toContain(
      "The diff size gate failed: the change is 30 lines; the limit is 10 (`gates.max_diff_lines`) — deliver it as steps.",
    );
    const check = record.checkRunUpdates.at(-1)!;
    expect(check).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(check.output.title).toBe(
      "stopped after a refusal: the change is 30 lines; the limit is 10 (`gates.max_diff_lines`) — deliver it as steps",
    );
    expect(check.output.summary).toMatch(
      /^\*\*The diff size gate refused the last step:\*\* the change is 30 lines; the limit is 10 \(`gates.max_diff_lines`\) — deliver it as steps\.\n\n\*\*What to do:\*\* Ask for the work in smaller parts/,
    );
    expect(check.output.summary).toContain(
      "Then the run stopped: a limit was reached.\n\nThe agent used all 3 turns without finishing.",
    );
    expect(check.output.summary).toContain("| diff size | ❌ failed | the change is 30 lines");
    const comment = record.commentEdits.at(-1)!.body;
    expect(comment).toContain(
      "### ❌ issue-agent: stopped after a refusal: the change is 30 lines; the limit is 10",
    );
    expect(comment.indexOf("The diff size gate refused the last step")).toBeLessThan(
      comment.indexOf("The agent used all 3 turns"),
    );
  });
});
