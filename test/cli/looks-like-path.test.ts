import { describe, expect, it } from "vitest";
import { looksLikePath } from "../../src/cli/looks-like-path.ts";

describe("looksLikePath: whether --issue was meant as a file", () => {
  it.each([
    ["./issue.md", true],
    ["../issues/12.md", true],
    ["/tmp/issue.txt", true],
    ["~/notes/bug.markdown", true],
    ["issue.md", true],
    ["ISSUE.MD", true],
    ["docs/bug", true],
    ["./my issue.md", true],
    [".\\issue.md", true],
  ])("%s is a path", (value, expected) => {
    expect(looksLikePath(value)).toBe(expected);
  });

  it.each([
    ["Fix the greeting", false],
    ["Typo", false],
    ["The greeting in src/greet.js lacks a comma", false],
    ["# Greeting lacks punctuation\n\nSee ./issue.md", false],
    ["/ crashes the router", false],
    ["Rename README.md to readme.md", false],
    ["", false],
  ])("%j is the issue's text", (value, expected) => {
    expect(looksLikePath(value)).toBe(expected);
  });
});
