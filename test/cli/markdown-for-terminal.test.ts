import { describe, expect, it } from "vitest";
import { markdownForTerminal } from "../../src/cli/markdown-for-terminal.ts";

describe("markdownForTerminal", () => {
  it.each([
    ["**What to do:** run it again", "What to do: run it again"],
    ["<sub>5 turns · 1 command</sub>", "5 turns · 1 command"],
    ["the command was not run: @you denied it.", "the command was not run: you denied it."],
    ["written by issue-agent@localhost", "written by issue-agent@localhost"],
    ["Done.\n\n\n\nPlan", "Done.\n\nPlan"],
  ])("%j reads %j", (markdown, text) => {
    expect(markdownForTerminal(markdown)).toBe(text);
  });
});
