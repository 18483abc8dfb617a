import nock from "nock";
import { describe, expect, it } from "vitest";
import { issueCommentCreated, issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import {
  mockInstallationToken,
  mockPermission,
  mockReaction,
  mockRepoConfig,
  mockRevision,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { ISSUE_NUMBER, mockTestIssueJob } from "../helpers/run-labeled-job.ts";
import { headOf, pushAgentCommit } from "../helpers/git-fixtures.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { deliverSigned } from "../helpers/signed-webhook.ts";

let harness: Harness | undefined;

const CONFIG = "gates:\n  tests:\n    command: node --test\n";
/** A behaviour change no test is written for: the greeting gains its `!`. */
const EXCLAIM = call("write_file", {
  path: "src/greet.js",
  content: 'export function greet(name) {\n  return "Hello " + name + "!";\n}\n',
});
const FINISH = call("finish", {
  title: "Exclaim",
  summary: "Adds the exclamation mark.",
  rationale: "Asked.",
});
const NO_TESTS = "The test-first gate failed: the change adds or modifies no tests";

function lastToolResult(h: Harness, request: number): string {
  return String(h.model.requests[request]!.body.messages.at(-1)!.content);
}

describe("waiving test-first", () => {
  it("is a maintainer's /agent skip-tests reply: the step lands shown as waived by them, never as passed", async () => {
    harness = await startHarness({
      script: [
        EXCLAIM,
        FINISH,
        call("ask_question", { question: "No test can show this; may I deliver it without one?" }),
        FINISH,
      ],
    });
    const h = harness;
    const record = newRecord();
    const firstRun = [
      mockInstallationToken(),
      mockRepoConfig(CONFIG),
      mockPermission("maintainer", "admin"),
      mockTestIssueJob(h, record, { extraComments: 1 }),
    ];
    await deliverSigned(
      h.probot,
      "d-label",
      issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER }),
    );
    await h.agent.idle();
    for (const scope of firstRun) expect(scope.pendingMocks()).toEqual([]);
    expect(lastToolResult(h, 2)).toContain(NO_TESTS);

    // The reply to the agent's question waives test-first: recorded, and the answer.
    const secondRun = [
      mockReaction(record, 95),
      mockPermission("maintainer", "write"),
      mockTestIssueJob(h, record, { resumed: true, expectPullRequest: true }),
    ];
    await deliverSigned(
      h.probot,
      "d-skip-tests",
      issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: ISSUE_NUMBER,
        commentId: 95,
        body: "/agent skip-tests",
      }),
    );
    await h.agent.idle();
    for (const scope of secondRun) expect(scope.pendingMocks()).toEqual([]);
    expect(lastToolResult(h, 3)).toContain(
      "Answer from the maintainer @maintainer:\n@maintainer waived the test-first requirement for this job (`/agent skip-tests`)",
    );

    const body = record.pulls[0]!.body as string;
    expect(body).toMatch(
      /\| test-first \| ⚠️ waived \| waived by @maintainer \(`\/agent skip-tests`\) instead of: the change adds or modifies no tests .*; `node --test` passes \|/,
    );
    expect(body).not.toMatch(/\| test-first \| ✅ passed/);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ conclusion: "success" });
    expect(final.output.summary).toContain("| test-first | ⚠️ waived | waived by @maintainer");
    expect(record.commentEdits.at(-1)!.body).toContain("⚠️ @maintainer waived test-first for this job");
    const job = await h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER });
    expect(job).toMatchObject({ state: "succeeded", waivedBy: "maintainer" });
  }, 120_000);

  it("starts a job when none runs, and only that recorded decision waives: instructions saying so do not", async () => {
    harness = await startHarness({
      script: [EXCLAIM, FINISH, call("give_up", { reason: "It needs a test." }), EXCLAIM, FINISH],
    });
    const h = harness;
    const record = newRecord();
    const comment = async (id: number, body: string, scopes: Array<{ pendingMocks(): string[] }>) => {
      scopes.push(mockReaction(record, id), mockPermission("maintainer", "write"), mockRepoConfig(CONFIG));
      await deliverSigned(
        h.probot,
        `d-comment-${id}`,
        issueCommentCreated({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER, commentId: id, body }),
      );
      await h.agent.idle();
      for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    };
    await comment(97, "/agent Add the exclamation mark. Skip the tests: no test is needed for this.", [
      mockInstallationToken(),
      mockTestIssueJob(h, record, { extraComments: 1 }),
    ]);
    expect(lastToolResult(h, 2)).toContain(NO_TESTS);
    expect(record.pulls).toEqual([]);

    await comment(96, "/agent skip-tests add the exclamation mark", [
      mockTestIssueJob(h, record, { expectPullRequest: true }),
    ]);
    expect(JSON.stringify(h.model.requests[3]!.body.messages)).toContain(
      "@maintainer waived the test-first requirement for this job",
    );
    const job = await h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER });
    expect(job).toMatchObject({
      state: "succeeded",
      waivedBy: "maintainer",
      trigger: { instructions: "add the exclamation mark" },
    });
    expect(record.pulls[0]!.body).toContain("| test-first | ⚠️ waived | waived by @maintainer");
  }, 120_000);
  it("works on the agent's pull request too: the revision lands waived, said on its Revisions line", async () => {
    harness = await startHarness({ script: [EXCLAIM, FINISH] });
    const h = harness;
    const branch = "agent/21-do-something";
    pushAgentCommit(h.bare, branch, { "docs.md": "Greeting docs.\n" });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockReaction(record, 98),
      mockPermission("maintainer", "write"),
      mockRepoConfig(CONFIG),
      mockTestIssueJob(h, record),
      mockRevision(record, { pullNumber: 12, headRef: branch, pullBody: "Closes #21\n", comments: [] }),
      nock("https://api.github.com")
        .post("/graphql")
        .reply(200, { data: { repository: { pullRequest: { reviewThreads: { nodes: [] } } } } }),
    ];
    await deliverSigned(
      h.probot,
      "d-skip-tests-on-pr",
      issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: 12,
        commentId: 98,
        body: "/agent skip-tests add the exclamation mark",
        onPullRequest: true,
      }),
    );
    await h.agent.idle();
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    const head = headOf(h.bare, branch);
    expect(record.pullEdits.at(-1)!.body).toBe(
      `Closes #21\n\n## Revisions\n- ${head.slice(0, 7)}, for @maintainer's review: Adds the exclamation mark. (test-first: ⚠️ waived by @maintainer)\n`,
    );
    expect(record.checkRuns.at(-1)!.output.summary).toContain(
      "| test-first | ⚠️ waived | waived by @maintainer",
    );
  }, 120_000);
});
