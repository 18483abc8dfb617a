import { describe, expect, it } from "vitest";
import { issueCommentCreated } from "../fixtures/events.ts";
import { OWNER, REPO, type Harness } from "../helpers/e2e-harness.ts";
import { git } from "../helpers/git-fixtures.ts";
import { mockPermission, mockReaction, type GitHubRecord } from "../helpers/github-api-mock.ts";
import { ISSUE_NUMBER, mockTestIssueJob, runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { deliverSigned } from "../helpers/signed-webhook.ts";

/** Holds a job at its `pausing` hook (question posted, pause not yet saved) until released. */
function holdWhilePausing() {
  let reached!: () => void;
  let release!: () => void;
  const atHook = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    hooks: {
      pausing: async () => {
        reached();
        await released;
      },
    },
    atHook,
    release: () => release(),
  };
}

const latestJob = (h: Harness) =>
  h.agent.store.latestForIssue({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER });

/**
 * Answers in the window: the question is on the issue but the job still runs. The answer is a
 * signed `/agent …` comment from a maintainer; then the job is let go and resumes at once, in the
 * same process, with the answer (its resumed run asks GitHub for the issue again and opens the PR).
 */
async function answerInTheWindow(
  h: Harness,
  record: GitHubRecord,
  hold: ReturnType<typeof holdWhilePausing>,
  body: string,
) {
  await hold.atHook;
  expect(await latestJob(h)).toMatchObject({
    state: "running",
    pausing: { approval: body === "/agent approve" },
  });
  const scopes = [
    mockReaction(record, 91),
    mockPermission("maintainer", "write"),
    mockTestIssueJob(h, record, { resumed: true, expectPullRequest: true }),
  ];
  await deliverSigned(
    h.probot,
    "d-answer-in-window",
    issueCommentCreated({ owner: OWNER, repo: REPO, issueNumber: ISSUE_NUMBER, commentId: 91, body }),
  );
  await h.agent.webhooksHandled();
  hold.release();
  await h.agent.idle();
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
}

describe("an answer that arrives while the job is pausing", () => {
  it("answers the question: the same conversation resumes with it and the pull request lands", async () => {
    const hold = holdWhilePausing();
    const { h, record } = await runLabeledJob(
      [
        call("write_file", { path: "docs/greeting.md", content: "draft\n" }),
        call("ask_question", { question: "Should the greeting end with `!` or `.`?" }),
        call("write_file", { path: "docs/greeting.md", content: "The greeting ends with `!`.\n" }),
        call("finish", { title: "Document the greeting", summary: "Adds docs.", rationale: "As answered." }),
      ],
      {
        extraComments: 1,
        app: { hooks: hold.hooks },
        during: async (harness, rec) => {
          await hold.atHook;
          expect(rec.comments.at(-1)!.body).toContain("❓ The agent has a question before it goes on:");
          await answerInTheWindow(harness, rec, hold, "/agent With `!`, please.");
        },
      },
    );
    // The model's next request is the same conversation, its question answered.
    const resumed = h.model.requests[2]!.body.messages;
    expect(resumed.at(-1)).toMatchObject({
      role: "tool",
      content: "Answer from the maintainer @maintainer:\nWith `!`, please.",
    });
    expect(JSON.stringify(resumed)).toContain("ask_question");
    expect(record.pulls).toHaveLength(1);
    expect(record.pulls[0]!.head).toBe("agent/21-do-something");
    expect(git(h.bare, "show", "agent/21-do-something:docs/greeting.md")).toBe(
      "The greeting ends with `!`.\n",
    );
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
    const job = await latestJob(h);
    expect(job?.state).toBe("succeeded");
    expect(job?.events.map((event) => event.message)).toContain("queued: answered while it was pausing");
    // Nobody was told to answer again, and the job never waited for an answer it had.
    expect(record.comments.map((c) => c.body).join("\n")).not.toContain("nothing on this issue");
    expect(job?.events.some((event) => event.message.includes("no answer before the deadline"))).toBe(false);
  }, 120_000);

  it("approves the command: the job runs it and goes on", async () => {
    const hold = holdWhilePausing();
    const { h, record } = await runLabeledJob(
      [
        call("run_command", { command: "touch approved.txt && ls approved.txt" }),
        call("write_file", { path: "docs/approved.md", content: "Approved.\n" }),
        call("finish", { title: "Note the approval", summary: "Adds a note.", rationale: "Asked for." }),
      ],
      {
        config: 'commands:\n  require_approval: ["touch"]\n',
        extraComments: 1,
        app: { hooks: hold.hooks },
        during: async (harness, rec) => {
          await hold.atHook;
          expect(rec.comments.at(-1)!.body).toContain("needs approval");
          await answerInTheWindow(harness, rec, hold, "/agent approve");
        },
      },
    );
    expect(toolResult(h, 1)).toContain("exit code 0\napproved.txt");
    expect(record.commentEdits.at(-1)!.body).toContain(
      "@maintainer approved `touch approved.txt && ls approved.txt`.",
    );
    expect(record.comments.map((c) => c.body).join("\n")).not.toContain("nothing on this issue is waiting");
    expect(record.pulls).toHaveLength(1);
    expect((await latestJob(h))?.state).toBe("succeeded");
  }, 120_000);
});
