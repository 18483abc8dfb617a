import { describe, expect, it } from "vitest";
import { branchName } from "../../src/workspace/branch-name.ts";

describe("branchName", () => {
  it.each([
    [7, "Greeting lacks punctuation", "agent/7-greeting-lacks-punctuation"],
    [12, "  Crash in `parse()` when input is ''  ", "agent/12-crash-in-parse-when-input-is"],
    [3, "Überprüfung der Ära", "agent/3-uberprufung-der-ara"],
    [4, "🔥🔥🔥", "agent/4"],
    [5, "a".repeat(100), `agent/5-${"a".repeat(40)}`],
    [6, "ends with dash at forty characters exactly-", "agent/6-ends-with-dash-at-forty-characters-exact"],
  ])("issue %i %j → %s", (issue, title, expected) => {
    expect(branchName(issue, title)).toBe(expected);
  });
});
