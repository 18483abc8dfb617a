import { describe, expect, it } from "vitest";
import { git } from "../helpers/git-fixtures.ts";
import { runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { call } from "../helpers/scripted-model-server.ts";

const finish = call("finish", { title: "Add CI", summary: "Adds a workflow.", rationale: "Asked for." });

// The app has no `workflows` permission (app.yml), so GitHub rejects any push that touches
// .github/workflows: the change is refused where the agent makes it, before anything is pushed.
describe("a change to .github/workflows", () => {
  it("is refused when the agent writes it, and again at the paths gate when a command did", async () => {
    const { h, record } = await runLabeledJob(
      [
        call("write_file", { path: ".github/workflows/ci.yml", content: "on: push\n" }),
        call("run_command", {
          command: "mkdir -p .github/workflows && printf 'on: push\\n' > .github/workflows/ci.yml",
        }),
        fixGreeting,
        testGreeting,
        finish,
        call("give_up", { reason: "Workflows are for a maintainer to change." }),
      ],
      { extraComments: 1 },
    );
    expect(toolResult(h, 1)).toContain(
      '".github/workflows/ci.yml" may not be changed: it is a GitHub Actions workflow',
    );
    expect(toolResult(h, 1)).toContain("no `workflows` permission");
    expect(toolResult(h, 5)).toContain(
      "The paths gate failed: `.github/workflows/ci.yml`: Changed a path that is a GitHub Actions workflow",
    );
    expect(record.pulls).toEqual([]);
    expect(git(h.bare, "for-each-ref", "--format=%(refname:short)", "refs/heads").trim()).toBe("main");
  });
});
