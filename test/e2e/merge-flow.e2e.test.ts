import nock from "nock";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { newJob, transition } from "../../src/jobs/job.ts";
import { pullRequestClosed, pullRequestReviewSubmitted } from "../fixtures/events.ts";
import { INSTALLATION_ID, OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { mockInstallationToken, mockPermission, mockRepoConfig } from "../helpers/github-api-mock.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

let harness: Harness | undefined;

const API = "https://api.github.com";
const REPO_PATH = `/repos/${OWNER}/${REPO}`;
const BRANCH = "agent/21-document-usage";
const HEAD = "2222222222222222222222222222222222222222";

/** GitHub's view of pull request #12 for the merge decision: the given reviews, green checks. */
function mockMergeFacts(reviews: Array<{ commit_id: string; login?: string }>) {
  return nock(API)
    .get(`${REPO_PATH}/pulls/12`)
    .reply(200, { number: 12, state: "open", draft: false, merged: false, head: { sha: HEAD, ref: BRANCH } })
    .get(`${REPO_PATH}/pulls/12/reviews`)
    .query(true)
    .reply(
      200,
      reviews.map((review, i) => ({
        id: i + 1,
        user: { login: review.login ?? "maintainer", type: "User" },
        state: "APPROVED",
        commit_id: review.commit_id,
      })),
    )
    .get(`${REPO_PATH}/commits/${HEAD}/check-runs`)
    .query(true)
    .reply(200, {
      total_count: 2,
      check_runs: [
        { name: "issue-agent", status: "completed", conclusion: "success" },
        { name: "ci / test", status: "completed", conclusion: "success" },
      ],
    })
    .get(`${REPO_PATH}/commits/${HEAD}/status`)
    .reply(200, { state: "success", total_count: 1, statuses: [] });
}

/**
 * Delivers an approval of #12 with `merge.auto` on, GitHub answering with `scopes`, and returns
 * the comments the pull request got.
 */
async function approveWithAutoMerge(id: string, scopes: nock.Scope[]): Promise<string[]> {
  harness = await startHarness({ script: [] });
  const comments: string[] = [];
  const all = [
    mockInstallationToken(),
    mockRepoConfig("merge:\n  auto: true\n"),
    ...scopes,
    nock(API)
      .post(`${REPO_PATH}/issues/12/comments`, (body) => Boolean(comments.push(body.body)))
      .reply(201, { id: 1 }),
  ];
  await harness.probot.receive(approval(id));
  await harness.agent.webhooksHandled();
  for (const scope of all) expect(scope.pendingMocks()).toEqual([]);
  return comments;
}

function approval(id: string) {
  return {
    id,
    ...pullRequestReviewSubmitted({
      owner: OWNER,
      repo: REPO,
      pullNumber: 12,
      headRef: BRANCH,
      reviewId: 90,
      state: "approved" as const,
      body: "LGTM",
    }),
  };
}

describe("auto-merge", () => {
  it("refuses an approval of an older commit, saying why, and merges once the current head is approved", async () => {
    harness = await startHarness({ script: [] });
    const h = harness;
    const comments: string[] = [];
    let merged: Record<string, unknown> | undefined;
    const first = [
      mockInstallationToken(),
      mockRepoConfig("merge:\n  auto: true\n"),
      mockPermission("maintainer", "write"),
      mockMergeFacts([{ commit_id: "1111111111111111111111111111111111111111" }]),
      nock(API)
        .post(`${REPO_PATH}/issues/12/comments`, (body) => Boolean(comments.push(body.body)))
        .reply(201, { id: 1 }),
    ];
    await h.probot.receive(approval("d-stale-approval"));
    await h.agent.webhooksHandled();
    for (const scope of first) expect(scope.pendingMocks()).toEqual([]);
    expect(comments).toEqual([
      "issue-agent is not merging this yet (`merge.auto` is on):\n- no approval of the current head by someone with write access (an approval of an earlier commit does not count)",
    ]);

    const second = [
      mockRepoConfig("merge:\n  auto: true\n"),
      mockPermission("maintainer", "write"),
      mockMergeFacts([{ commit_id: "1111111111111111111111111111111111111111" }, { commit_id: HEAD }]),
      nock(API)
        .put(`${REPO_PATH}/pulls/12/merge`, (body) => Boolean((merged = body)))
        .reply(200, { merged: true }),
    ];
    await h.probot.receive(approval("d-approval"));
    await h.agent.webhooksHandled();
    for (const scope of second) expect(scope.pendingMocks()).toEqual([]);
    expect(merged).toEqual({ sha: HEAD, merge_method: "squash" });
    expect(comments).toHaveLength(1);
  });

  it("does not count an approval by someone who is no collaborator, and says so", async () => {
    const comments = await approveWithAutoMerge("d-outsider-approval", [
      // The collaborator-permission API answers 404 for someone outside the repository.
      nock(API)
        .get(`${REPO_PATH}/collaborators/passer-by/permission`)
        .reply(404, { message: "passer-by is not a user" }),
      mockMergeFacts([{ commit_id: HEAD, login: "passer-by" }]),
    ]);
    expect(comments).toEqual([
      "issue-agent is not merging this yet (`merge.auto` is on):\n- no approval by someone with write access",
    ]);
  });

  it("tells the pull request when GitHub refuses the merge", async () => {
    const comments = await approveWithAutoMerge("d-unmergeable", [
      mockPermission("maintainer", "write"),
      mockMergeFacts([{ commit_id: HEAD }]),
      nock(API).put(`${REPO_PATH}/pulls/12/merge`).reply(405, { message: "Pull Request is not mergeable" }),
    ]);
    expect(comments).toEqual([
      'issue-agent could not merge this (`merge.auto` is on): GitHub answered "Pull Request is not mergeable". Resolve that (conflicts, branch protection, the allowed merge methods in `merge.method`), then approve again or merge by hand.',
    ]);
  });

  it("never merges with merge.auto off (the default)", async () => {
    harness = await startHarness({ script: [] });
    const scopes = [mockInstallationToken(), mockRepoConfig(undefined)];
    await harness.probot.receive(approval("d-approval-off"));
    await harness.agent.webhooksHandled();
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    // nock has no merge interceptor and the network is closed: a merge attempt would have failed loudly.
    expect(harness.logs.text).not.toContain('"msg":"merged"');
  });
});

describe("after the pull request is closed", () => {
  it.each([
    [true, "✅ #12 was merged by @maintainer"],
    [false, "❌ #12 was closed without merging by @maintainer"],
  ])("merged=%s: deletes the branch and finalizes the status comment", async (wasMerged, outcome) => {
    harness = await startHarness({ script: [] });
    const h = harness;
    // The job that opened #12, finished, with its status comment.
    const job = newJob(
      testTrigger({
        deliveryId: "d-earlier",
        installationId: INSTALLATION_ID,
        owner: OWNER,
        repo: REPO,
        issueNumber: 21,
      }),
      parseAgentConfig(undefined),
    );
    await h.agent.store.createUnlessActive(job);
    await h.agent.store.save({
      ...transition(transition(job, "running", "started"), "succeeded", "opened #12"),
      report: { checkRunId: 77, statusCommentId: 600 },
    });
    let statusBody = "";
    const issueComments: string[] = [];
    const scopes = [
      mockInstallationToken(),
      nock(API)
        .get(`${REPO_PATH}/pulls`)
        .query({ base: BRANCH, state: "open", per_page: 1 })
        .reply(200, [])
        .delete(/\/git\/refs\/heads(%2F|\/)agent(%2F|\/)21-document-usage$/)
        .reply(204)
        .get(`${REPO_PATH}/issues/comments/600`)
        .reply(200, { id: 600, body: "**issue-agent** opened #12." })
        .patch(`${REPO_PATH}/issues/comments/600`, (body) => Boolean((statusBody = body.body)))
        .reply(200, { id: 600 }),
    ];
    if (!wasMerged) {
      scopes.push(
        nock(API)
          .post(`${REPO_PATH}/issues/21/comments`, (body) => Boolean(issueComments.push(body.body)))
          .reply(201, { id: 2 }),
      );
    }
    await h.probot.receive({
      id: `d-closed-${wasMerged}`,
      ...pullRequestClosed({ owner: OWNER, repo: REPO, pullNumber: 12, headRef: BRANCH, merged: wasMerged }),
    });
    await h.agent.webhooksHandled();
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(statusBody).toBe(`**issue-agent** opened #12.\n\n**${outcome}** (branch \`${BRANCH}\` deleted).`);
    expect(issueComments).toEqual(
      wasMerged ? [] : [`${outcome}. Comment \`/agent <instructions>\` to have issue-agent try again.`],
    );
  });
});
