import { describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

describe("what the agent is told about the repository", () => {
  it("passes AGENTS.md files (root first, with their scope), CONTRIBUTING.md, config instructions and an overview", async () => {
    const { h } = await runLabeledJob([call("give_up", { reason: "Only looking." })], {
      extraComments: 1,
      config: 'instructions: "Keep functions pure."\ngates:\n  tests:\n    command: "node --test"\n',
      files: {
        ...GREETING_REPO,
        "AGENTS.md": "Use two-space indentation.\n",
        "src/AGENTS.md": "Export named functions only.\n",
        "CONTRIBUTING.md": "Run `node --test` before you push.\n",
        ".gitignore": "build/\n",
      },
    });
    const task = String(h.model.requests[0]!.body.messages[1]!.content);
    expect(task).toContain(
      "The repository's conventions (from its default branch; follow them unless the maintainer says otherwise; where AGENTS.md files disagree, the one nearest to the file you change wins):",
    );
    const root = task.indexOf(
      "--- AGENTS.md (applies to the whole repository) ---\nUse two-space indentation.",
    );
    const nested = task.indexOf("--- src/AGENTS.md (applies to src/) ---\nExport named functions only.");
    expect(root).toBeGreaterThan(-1);
    expect(nested).toBeGreaterThan(root);
    expect(task).toContain("--- CONTRIBUTING.md ---\nRun `node --test` before you push.");
    expect(task).toContain("--- .github/agent.yml instructions ---\nKeep functions pure.");
    expect(task).toContain("Repository overview: 7 tracked files; languages: JavaScript 100%.");
    expect(task).toContain("src/ (2 files)\n  AGENTS.md\n  greet.js");
    expect(task).toContain("The harness runs the tests with: `node --test`; lint: (none configured).");
  });
});
