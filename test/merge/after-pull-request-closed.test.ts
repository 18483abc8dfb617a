import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { newJob } from "../../src/jobs/job.ts";
import { SqliteState } from "../../src/jobs/stores/sqlite-state.ts";
import { afterPullRequestClosed } from "../../src/merge/after-pull-request-closed.ts";
import { MemoryRepositoryForge } from "../helpers/memory-repository-forge.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

let dir: string;
let state: SqliteState;
let repository: MemoryRepositoryForge;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "after-closed-"));
  state = new SqliteState(path.join(dir, "jobs.db"));
  repository = new MemoryRepositoryForge();
  const job = newJob(testTrigger({ issueNumber: 21 }), parseAgentConfig(undefined));
  await state.createUnlessActive(job);
  await state.save({ ...job, state: "succeeded", report: { statusCommentId: 600 } });
  repository.statusComments.set(600, "**issue-agent** opened #12.");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const closed = (merged: boolean) =>
  afterPullRequestClosed({
    repository,
    issue: { owner: "octo", repo: "repo", issueNumber: 21 },
    pull: { number: 12, branch: "agent/21-fix", merged, closedBy: "lead" },
    store: state,
    log: { warn() {} },
  });

describe("afterPullRequestClosed", () => {
  it("deletes the branch and adds the outcome to the status comment, with no new comment after a merge", async () => {
    await closed(true);
    expect(repository.deletedBranches).toEqual(["agent/21-fix"]);
    expect(repository.statusComments.get(600)).toBe(
      "**issue-agent** opened #12.\n\n**✅ #12 was merged by @lead** (branch `agent/21-fix` deleted).",
    );
    expect(repository.comments).toEqual([]);
  });

  it("keeps a branch another pull request builds on, and tells the issue how to try again", async () => {
    repository.buildingOn.set("agent/21-fix", 13);
    await closed(false);
    expect(repository.deletedBranches).toEqual([]);
    expect(repository.statusComments.get(600)).toContain("(branch `agent/21-fix` kept: #13 builds on it)");
    expect(repository.comments).toEqual([
      {
        on: 21,
        body: "❌ #12 was closed without merging by @lead. Comment `/agent <instructions>` to have issue-agent try again.",
      },
    ]);
  });
});
