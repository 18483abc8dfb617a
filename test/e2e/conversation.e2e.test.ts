import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import {
  checkRunClicked,
  issueCommentCreated,
  issueCommentEdited,
  issuesLabeled,
} from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { branchLog, headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockIssueComments,
  mockJob,
  mockPermission,
  mockReaction,
  mockRepoConfig,
  newRecord,
  type GitHubRecord,
} from "../helpers/github-api-mock.ts";
import { ISSUE_NUMBER, mockTestIssueJob, runLabeledJob, waitFor } from "../helpers/run-labeled-job.ts";
import { processRunning } from "../helpers/process-running.ts";
import { call } from "../helpers/scripted-model-server.ts";

let harnessToClose: Harness | undefined;
afterEach(async () => {
  await harnessToClose?.close();
  harnessToClose = undefined;
});

/** Delivers an `/agent` comment on the test issue from the maintainer, with the API calls it makes. */
async function comment(h: Harness, record: GitHubRecord, id: number, body: string, replies = 0) {
  const scopes = [mockReaction(record, id), mockPermission("maintainer", "write")];
  if (replies > 0) scopes.push(mockIssueComments(record, ISSUE_NUMBER, replies, 700 + id));
  await h.probot.receive({
    id: `d-comment-${id}`,
    ...issueCommentCreated({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER, commentId: id, body }),
  });
  await h.agent.webhooksHandled();
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
}

/** A second job on the test issue that gives up (one give-up note). */
function mockRetriedJob(h: Harness, record: GitHubRecord) {
  return mockTestIssueJob(h, record, { extraComments: 1 });
}

describe("steering a running job", () => {
  it("hands a maintainer's /agent message to the agent at its next turn, and records it", async () => {
    const { h, record } = await runLabeledJob(
      [
        call("run_command", { command: "sleep 2" }),
        call("write_file", { path: "docs/cli.md", content: "The CLI, as asked.\n" }),
        call("finish", { title: "Document the CLI", summary: "Adds CLI docs.", rationale: "Asked for." }),
      ],
      {
        pullRequests: 1,
        during: async (harness, rec) => {
          await waitFor(() => harness.model.requests.length === 1);
          await comment(harness, rec, 51, "/agent also document the CLI flags\nin a table");
        },
      },
    );
    const second = h.model.requests[1]!.body.messages.map((m: { content: unknown }) => String(m.content));
    expect(second.at(-1)).toBe(
      "Message from the maintainer @maintainer, sent while you were working. Take it into account from now on; where it conflicts with earlier instructions, it wins:\nalso document the CLI flags\nin a table",
    );
    const status = record.commentEdits.map((edit) => edit.body).join("\n");
    expect(status).toContain("💬 @maintainer sent the agent a message; it reads it at its next turn:");
    expect(record.pulls[0]!.body).toContain(
      "## Messages from maintainers during the run\n@maintainer, read by the agent at turn 2:\n> also document the CLI flags\n> in a table",
    );
    // Steering is answered by the status comment, not by another comment.
    expect(record.comments).toHaveLength(1);
  });
});

describe("/agent stop", () => {
  it("kills the running command within seconds; the check run ends cancelled and nothing is pushed", async () => {
    let stoppedAt = 0;
    const { h, record } = await runLabeledJob(
      [call("run_command", { command: "sleep 61.75" }), call("give_up", { reason: "unreachable" })],
      {
        during: async (harness, rec) => {
          await waitFor(() => processRunning("sleep 61.75"), 45_000, 100); // the command is running
          // Neither a quoted command nor an edited comment is a command: no reaction, no stop.
          await harness.probot.receive({
            id: "d-quoted",
            ...issueCommentCreated({
              owner: OWNER,
              repo: REPO,
              issueNumber: ISSUE_NUMBER,
              commentId: 60,
              body: "> /agent stop\nShould we?",
            }),
          });
          await harness.probot.receive({
            id: "d-edited",
            ...issueCommentEdited({
              owner: OWNER,
              repo: REPO,
              issueNumber: ISSUE_NUMBER,
              commentId: 61,
              body: "/agent stop",
            }),
          });
          await harness.agent.webhooksHandled();
          expect(rec.reactions).toEqual([]);
          stoppedAt = Date.now();
          await comment(harness, rec, 62, "/agent stop", 1);
        },
      },
    );
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(h.model.requests).toHaveLength(1);
    expect(record.comments.map((c) => c.body)).toContain(
      "@maintainer, stopping the job. Its status comment will say what was done; nothing half-made is pushed.",
    );
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "cancelled" });
    expect(final.output.title).toContain("stopped by @maintainer");
    const status = record.commentEdits.at(-1)!.body;
    expect(status).toContain("@maintainer stopped the job with `/agent stop`");
    expect(status).toContain("nothing was pushed and no pull request was opened");
    expect(record.pulls).toEqual([]);
    const job = await h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER });
    expect(job?.state).toBe("cancelled");
  });
});

describe("answers from the record", () => {
  it("answers status, help, unknown commands, a stop with nothing running, and /agent on a pull request it did not open", async () => {
    const { h, record } = await runLabeledJob([call("give_up", { reason: "The issue is unclear." })], {
      extraComments: 1,
    });
    await comment(h, record, 71, "/agent status", 1);
    expect(record.comments.at(-1)!.body).toContain(
      "**issue-agent status:** succeeded (job started by @maintainer, 1 attempt).",
    );
    expect(record.comments.at(-1)!.body).toContain("succeeded: no pull request: the agent gave up");
    await comment(h, record, 72, "/agent help", 1);
    expect(record.comments.at(-1)!.body).toContain("| `/agent stop` | Stop the running job within seconds");
    await comment(h, record, 73, "/agent cancel", 1);
    expect(record.comments.at(-1)!.body).toMatch(
      /^`\/agent cancel` is not an issue-agent command\.\n\n\*\*issue-agent commands\*\*/,
    );
    await comment(h, record, 74, "/agent stop", 1);
    expect(record.comments.at(-1)!.body).toBe(
      "@maintainer, no issue-agent job is running on this issue; there is nothing to stop.",
    );
    const scopes = [
      mockReaction(record, 75),
      mockPermission("maintainer", "write"),
      mockIssueComments(record, ISSUE_NUMBER, 1, 800),
      // Someone else's pull request (here numbered like the issue): not a branch issue-agent made.
      nock("https://api.github.com")
        .get(`/repos/${OWNER}/${REPO}/pulls/${ISSUE_NUMBER}`)
        .reply(200, {
          number: ISSUE_NUMBER,
          head: { ref: "feature/tabs", repo: { full_name: `${OWNER}/${REPO}` } },
          base: { repo: { full_name: `${OWNER}/${REPO}` } },
        }),
    ];
    await h.probot.receive({
      id: "d-on-pr",
      ...issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: ISSUE_NUMBER,
        commentId: 75,
        body: "/agent use tabs",
        onPullRequest: true,
      }),
    });
    await h.agent.webhooksHandled();
    expect(record.comments.at(-1)!.body).toBe(
      "@maintainer, issue-agent only revises pull requests it opened (branches `agent/<issue>-…`).",
    );
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(h.model.requests).toHaveLength(1);
  });
});

describe("/agent retry", () => {
  it("runs the issue's last job again, as a new job with its own check run and status comment", async () => {
    const { h, record } = await runLabeledJob(
      [call("give_up", { reason: "Flaky network." }), call("give_up", { reason: "Still flaky." })],
      { extraComments: 1 },
    );
    const scopes = [mockRepoConfig(undefined), mockRetriedJob(h, record)];
    await comment(h, record, 81, "/agent retry");
    await h.agent.idle();
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(h.model.requests).toHaveLength(2);
    const latest = await h.agent.store.latestForIssue({
      owner: OWNER,
      repo: REPO,
      issueNumber: ISSUE_NUMBER,
    });
    expect(latest).toMatchObject({ state: "succeeded", trigger: { kind: "comment", commentId: 81 } });
    expect(record.comments.map((c) => c.body)).toContain(
      "issue-agent did not open a pull request. The agent gave up:\n\n> Still flaky.",
    );
  });
});

describe("questions", () => {
  it("pauses on the agent's question and resumes with the answer, with its work, after a restart", async () => {
    const h = await startHarness({
      script: [
        call("write_file", { path: "docs/greeting.md", content: "draft\n" }),
        call("ask_question", { question: "Should the greeting end with `!` or `.`?" }),
        call("run_command", { command: "cat docs/greeting.md && git log --format=%s -1" }),
        call("write_file", { path: "docs/greeting.md", content: "The greeting ends with `!`.\n" }),
        call("finish", { title: "Document the greeting", summary: "Adds docs.", rationale: "As answered." }),
      ],
    });
    harnessToClose = h;
    const record = newRecord();
    const firstRun = [
      mockInstallationToken(),
      mockRepoConfig(undefined),
      mockPermission("maintainer", "admin"),
      mockJob(record, {
        cloneUrl: h.cloneUrl,
        issueNumber: 9,
        issueTitle: "Greeting docs",
        issueBody: "Document it.",
        baseSha: headOf(h.bare, "main"),
        expectPullRequest: false,
        extraComments: 1,
      }),
    ];
    await h.probot.receive({
      id: "d-question",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 9 }),
    });
    await h.agent.idle();
    for (const scope of firstRun) expect(scope.pendingMocks()).toEqual([]);

    // Paused: the question is on the issue, the check run is still open, the record holds the rest.
    expect(record.comments.at(-1)!.body).toContain(
      "❓ The agent has a question before it goes on:\n\n> Should the greeting end with `!` or `.`?",
    );
    expect(record.checkRunUpdates.filter((update) => update.status === "completed")).toEqual([]);
    expect(record.commentEdits.at(-1)!.body).toContain("Waiting for an answer to the agent's question");
    const paused = await h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: 9 });
    expect(paused).toMatchObject({
      state: "waiting_for_human",
      waiting: { branch: "agent/9-greeting-docs" },
    });

    // Another process answers it: the app restarts before the answer arrives.
    await h.restart();
    const secondRun = [
      mockInstallationToken(),
      mockReaction(record, 91),
      mockPermission("maintainer", "write"),
      mockJob(record, {
        cloneUrl: h.cloneUrl,
        issueNumber: 9,
        issueTitle: "Greeting docs",
        issueBody: "Document it.",
        baseSha: headOf(h.bare, "main"),
        expectPullRequest: true,
        resumed: true,
      }),
    ];
    await h.probot.receive({
      id: "d-answer",
      ...issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: 9,
        commentId: 91,
        body: "/agent With `!`, please.",
      }),
    });
    await h.agent.idle();
    for (const scope of secondRun) expect(scope.pendingMocks()).toEqual([]);

    // The same conversation went on: the question's result is the answer, and the work was there.
    const resumed = h.model.requests[2]!.body.messages;
    expect(resumed.at(-1)).toMatchObject({
      role: "tool",
      content: "Answer from the maintainer @maintainer:\nWith `!`, please.",
    });
    expect(String(resumed[1]!.content)).toContain("Resolve issue #9");
    // The draft written before the pause is back, uncommitted: no snapshot commit is left behind
    // (the sandbox's git shows the job's base as one commit, without forbidden files).
    expect(String(h.model.requests[3]!.body.messages.at(-1)!.content)).toBe(
      "exit code 0\ndraft\nThe base of this job (forbidden files left out)\n",
    );
    expect(record.pulls).toHaveLength(1);
    expect(record.pulls[0]!.head).toBe("agent/9-greeting-docs");
    expect(branchLog(h.bare, "agent/9-greeting-docs")).not.toContain("snapshot");
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
    const done = await h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: 9 });
    expect(done?.state).toBe("succeeded");
    expect(done?.waiting).toBeUndefined(); // the snapshot is gone once used
  });
});

describe("the check run's buttons", () => {
  it("offer Stop while the job runs and Retry once it did not succeed, and both work", async () => {
    let jobId = "";
    const { h, record } = await runLabeledJob(
      [call("run_command", { command: "sleep 60" }), call("give_up", { reason: "Needs a decision." })],
      {
        extraComments: 1,
        during: async (harness, rec) => {
          await waitFor(() => harness.model.requests.length === 1);
          const created = rec.checkRuns[0]!;
          expect(created.actions).toEqual([
            { label: "Stop", description: "Stop the job; nothing is pushed", identifier: "stop" },
          ]);
          const job = await harness.agent.store.latestForIssue({
            owner: OWNER,
            repo: REPO,
            issueNumber: ISSUE_NUMBER,
          });
          jobId = job!.id;
          expect(created.external_id).toBe(`issue-agent:${ISSUE_NUMBER}:${jobId}`);
          const scopes = [mockPermission("maintainer", "write")];
          await harness.probot.receive({
            id: "d-stop-button",
            ...checkRunClicked({
              owner: OWNER,
              repo: REPO,
              externalId: created.external_id,
              action: "requested_action",
              identifier: "stop",
            }),
          });
          await harness.agent.webhooksHandled();
          for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
        },
      },
    );
    const stopped = record.checkRunUpdates.at(-1)!;
    expect(stopped).toMatchObject({
      conclusion: "cancelled",
      actions: [{ label: "Retry", identifier: "retry" }],
    });

    // "Re-run" on the check run retries the job, as the Retry button does.
    const scopes = [
      mockPermission("maintainer", "write"),
      mockRepoConfig(undefined),
      mockRetriedJob(h, record),
    ];
    await h.probot.receive({
      id: "d-rerun",
      ...checkRunClicked({
        owner: OWNER,
        repo: REPO,
        externalId: `issue-agent:${ISSUE_NUMBER}:${jobId}`,
        action: "rerequested",
      }),
    });
    await h.agent.idle();
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(h.model.requests).toHaveLength(2);
    const retried = await h.agent.store.latestForIssue({
      owner: OWNER,
      repo: REPO,
      issueNumber: ISSUE_NUMBER,
    });
    expect(retried).toMatchObject({ state: "succeeded", trigger: { kind: "check_run" } });
    expect(retried!.id).not.toBe(jobId);
  });
});
