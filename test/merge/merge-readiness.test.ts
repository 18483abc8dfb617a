import { describe, expect, it } from "vitest";
import { mergeReadiness, type MergeFacts } from "../../src/merge/merge-readiness.ts";

const HEAD = "head-sha";
const ready: MergeFacts = {
  pull: { state: "open", draft: false, headSha: HEAD, merged: false },
  reviews: [{ author: "maintainer", authorIsBot: false, state: "APPROVED", commitId: HEAD }],
  writers: new Set(["maintainer"]),
  checkRuns: [
    { name: "issue-agent", status: "completed", conclusion: "success" },
    { name: "ci / test", status: "completed", conclusion: "success" },
    { name: "optional lint", status: "completed", conclusion: "skipped" },
  ],
  combinedStatus: { state: "pending", totalCount: 0 },
  ownCheck: "issue-agent",
};

describe("mergeReadiness", () => {
  it("merges after a writer approved the current head with every check green", () => {
    expect(mergeReadiness(ready)).toEqual({ ready: true, approvedBy: "maintainer" });
  });

  it.each<[string, Partial<MergeFacts>, string]>([
    ["no approval", { reviews: [] }, "no approval by someone with write access"],
    [
      "an approval of an earlier commit",
      { reviews: [{ author: "maintainer", authorIsBot: false, state: "APPROVED", commitId: "older" }] },
      "no approval of the current head by someone with write access (an approval of an earlier commit does not count)",
    ],
    [
      "its own approval",
      { reviews: [{ author: "issue-agent[bot]", authorIsBot: true, state: "APPROVED", commitId: HEAD }] },
      "no approval",
    ],
    ["an approver without write access", { writers: new Set() }, "no approval by someone with write access"],
    [
      "an approval withdrawn by a later review",
      {
        reviews: [
          { author: "maintainer", authorIsBot: false, state: "APPROVED", commitId: HEAD },
          { author: "maintainer", authorIsBot: false, state: "CHANGES_REQUESTED", commitId: HEAD },
        ],
      },
      "changes requested by @maintainer",
    ],
    ["a draft", { pull: { ...ready.pull, draft: true } }, "the pull request is a draft"],
    [
      "a failing check",
      { checkRuns: [...ready.checkRuns, { name: "ci / e2e", status: "completed", conclusion: "failure" }] },
      "checks not green: ci / e2e (failure)",
    ],
    [
      "a running check",
      { checkRuns: [...ready.checkRuns, { name: "ci / e2e", status: "in_progress", conclusion: null }] },
      "checks not green: ci / e2e (in_progress)",
    ],
    [
      "a gate that needs a human",
      { checkRuns: [{ name: "issue-agent", status: "completed", conclusion: "action_required" }] },
      "the issue-agent check has not passed on the head",
    ],
    [
      "a failing commit status",
      { combinedStatus: { state: "failure", totalCount: 2 } },
      "commit statuses are failure",
    ],
  ])("refuses with %s", (_, change, reason) => {
    const decision = mergeReadiness({ ...ready, ...change });
    expect(decision.ready).toBe(false);
    expect(decision.ready ? [] : decision.reasons.join("\n")).toContain(reason);
  });
});
