import nock from "nock";
import { describe, expect, it } from "vitest";
import { issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { git, headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockIssueComments,
  mockJob,
  mockPermission,
  mockRepoConfig,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { call } from "../helpers/scripted-model-server.ts";

// What GitHub refuses the app, or no longer has, mid-job, and what the people on the issue are
// told then.
let harness: Harness | undefined;

describe("an issue GitHub will not let the app comment on (locked)", () => {
  it("keeps the agent's reason for giving up in the check run, and says the comment failed", async () => {
    harness = await startHarness({
      script: [call("give_up", { reason: "The issue needs a product decision." })],
    });
    const h = harness;
    const record = newRecord();
    mockInstallationToken();
    mockRepoConfig(undefined);
    mockPermission("maintainer", "write");
    nock("https://api.github.com")
      .persist()
      .post(`/repos/${OWNER}/${REPO}/issues/21/comments`)
      .reply(403, { message: "Unable to create comment because issue is locked." });
    mockJob(record, {
      cloneUrl: h.cloneUrl,
      issueNumber: 21,
      issueTitle: "Do something",
      issueBody: "Please.",
      baseSha: headOf(h.bare, "main"),
      expectPullRequest: false,
    });
    await h.probot.receive({
      id: "d-locked",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 21 }),
    });
    await h.agent.idle();
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(final.output.title).toBe("no pull request: the agent gave up");
    expect(final.output.summary).toContain("The issue needs a product decision.");
    expect(final.output.summary).toContain(
      "This could not be posted on the issue: Unable to create comment because issue is locked.",
    );
  });
});

describe("a default branch renamed or deleted between the webhook and the clone", () => {
  it("is named as such, with a retry, not blamed on the app's permissions", async () => {
    harness = await startHarness({ script: [call("give_up", { reason: "unused" })] });
    const h = harness;
    const record = newRecord();
    const baseSha = headOf(h.bare, "main");
    git(h.bare, "branch", "-m", "main", "trunk");
    git(h.bare, "symbolic-ref", "HEAD", "refs/heads/trunk");
    mockInstallationToken();
    mockRepoConfig(undefined);
    mockPermission("maintainer", "write");
    mockJob(record, {
      cloneUrl: h.cloneUrl,
      issueNumber: 21,
      issueTitle: "Do something",
      issueBody: "Please.",
      baseSha,
      expectPullRequest: false,
    });
    await h.probot.receive({ id: "d-gone", ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 21 }) });
    await h.agent.idle();
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.summary).toContain(
      "The repository has no branch `main`, its default branch when the job was asked for: it was renamed or deleted since.",
    );
    expect(final.output.summary).toContain("Comment `/agent` on the issue to retry.");
    expect(final.output.summary).not.toContain("contents permission");
    expect(h.model.requests).toHaveLength(0);
  });
});

describe("a request GitHub keeps refusing the intake something for", () => {
  it("is answered on the issue once the retries are spent, instead of dropped in silence", async () => {
    harness = await startHarness({ script: [] });
    const record = newRecord();
    mockInstallationToken();
    // The config is read again on each of the three attempts.
    for (let attempt = 0; attempt < 3; attempt += 1) mockRepoConfig(undefined);
    nock("https://api.github.com")
      .persist()
      .get(`/repos/${OWNER}/${REPO}/collaborators/maintainer/permission`)
      .reply(403, { message: "Resource not accessible by integration" });
    mockIssueComments(record, 3);
    await harness.probot.receive({
      id: "d-perm",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3 }),
    });
    await harness.agent.idle();
    expect(record.comments.map((comment) => comment.body)).toEqual([
      "issue-agent could not handle this request: Resource not accessible by integration\n\nIf GitHub is having trouble, wait a little; otherwise check the app's permissions on this repository. Then label the issue again or comment `/agent` to retry.",
    ]);
    expect(harness.model.requests).toHaveLength(0);
  });
});
