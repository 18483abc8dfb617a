import { describe, expect, it } from "vitest";
import { isInstructionFile, renderOverview } from "../../../src/agent/prompt/repository-context.ts";

describe("repository context", () => {
  it.each([
    ["AGENTS.md", true],
    ["packages/api/AGENTS.md", true],
    [".github/copilot-instructions.md", true],
    ["CONTRIBUTING.md", true],
    ["docs/CONTRIBUTING.md", true],
    ["src/CONTRIBUTING.md", false],
    ["README.md", false],
  ])("%s is an instruction file: %s", (path, expected) => {
    expect(isInstructionFile(path)).toBe(expected);
  });

  it("keeps the tree to two levels with file counts, and names the languages", () => {
    const overview = renderOverview({
      instructionFiles: [],
      configInstructions: undefined,
      trackedFiles: ["README.md", "src/a.ts", "src/b.ts", "src/deep/c.ts", "scripts/x.py"],
      testCommand: undefined,
      lintCommands: ["eslint {files}"],
      setupCommands: [],
      network: false,
    });
    expect(overview).toBe(
      [
        "Repository overview: 5 tracked files; languages: TypeScript 75%, Python 25%.",
        "README.md\nscripts/ (1 files)\n  x.py\nsrc/ (3 files)\n  a.ts\n  b.ts\n  deep/ (1 files)",
        "No setup command ran (none configured in `setup:`, no lockfile found), so dependencies may be missing.",
        "Your commands have no network: installing new packages fails; say so in your summary if the change needs one.",
        "The harness runs the tests with: (no test command configured: gates.tests.command); lint: `eslint {files}`.",
      ].join("\n"),
    );
  });
});
