import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { newJob, transition, withEvent } from "../../src/jobs/job.ts";
import { MAX_ATTEMPTS } from "../../src/jobs/job.ts";
import { SqliteState } from "../../src/jobs/stores/sqlite-state.ts";
import { INSTALLATION_ID, OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { branchLog, headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockJob,
  mockPermission,
  mockRepoConfig,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { waitFor } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

let harness: Harness | undefined;

/** Leaves a job in the database as a process that died mid-job would: running, with its report ids. */
function leaveInterruptedJob(db: string, attempts: number): string {
  const state = new SqliteState(db);
  const job = newJob(
    testTrigger({
      deliveryId: "d-before-crash",
      installationId: INSTALLATION_ID,
      owner: OWNER,
      repo: REPO,
      issueNumber: 31,
    }),
    parseAgentConfig(undefined),
  );
  void state.createUnlessActive(job);
  const running = withEvent(transition(job, "running", "started"), "workspace ready");
  void state.save({ ...running, attempts, report: { checkRunId: 77, statusCommentId: 600 } });
  state.close();
  return job.id;
}

describe("a restart never loses a job", () => {
  it("runs a job that was running when the process died again, in the same check run and status comment", async () => {
    let jobId = "";
    harness = await startHarness({
      beforeLoad: async ({ db }) => {
        jobId = leaveInterruptedJob(db, 1);
      },
      script: [
        call("write_file", {
          path: "test/notes.test.js",
          content:
            'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { notes } from "../src/notes.js";\n\ntest("notes", () => assert.equal(notes, 1));\n',
        }),
        call("write_file", { path: "src/notes.js", content: "export const notes = 1;\n" }),
        call("finish", { title: "Add notes", summary: "Adds notes.", rationale: "Asked for." }),
      ],
    });
    const h = harness;
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockJob(record, {
        cloneUrl: h.cloneUrl,
        issueNumber: 31,
        issueTitle: "Add notes",
        issueBody: "",
        baseSha: headOf(h.bare, "main"),
        expectPullRequest: true,
        resumed: true,
      }),
    ];
    // Recovery runs in the background after the app loads; wait until it has queued the job.
    await waitFor(() => h.logs.text.includes("recovered 1 job(s) after a restart"));
    await h.agent.idle();

    expect(record.checkRuns.filter((c) => c.status === "in_progress")).toEqual([]);
    expect(record.comments).toEqual([]);
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed", conclusion: "success" });
    const status = record.commentEdits.at(-1)!.body;
    expect(status).toContain(
      "The app restarted while this job was running; attempt 2 started over from the beginning.",
    );
    expect(status).toContain("opened #12");
    expect(branchLog(h.bare, "agent/31-add-notes")).toContain("Add notes");
    const job = await h.agent.store.get(jobId);
    expect(job).toMatchObject({
      state: "succeeded",
      attempts: 2,
      pullRequestUrls: ["https://github.com/octo-org/hello-world/pull/12"],
    });
    expect(job!.events.map((e) => e.message)).toContain("resuming after an interruption (attempt 2)");
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });

  it("gives up on a job whose process keeps dying, saying so on the issue and the check run", async () => {
    harness = await startHarness({
      beforeLoad: async ({ db }) => {
        leaveInterruptedJob(db, MAX_ATTEMPTS);
      },
      script: [],
    });
    const record = newRecord();
    mockInstallationToken();
    mockJob(record, {
      cloneUrl: harness.cloneUrl,
      issueNumber: 31,
      issueTitle: "x",
      issueBody: "",
      baseSha: "unused",
      expectPullRequest: false,
      resumed: true,
    });
    await waitFor(() => harness!.logs.text.includes("recovered 1 job(s) after a restart"));
    await harness.agent.idle();
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.summary).toContain(
      `The app stopped ${MAX_ATTEMPTS} times while working on this issue`,
    );
    expect(record.commentEdits.at(-1)!.body).toContain("comment `/agent` to retry");
    expect(harness.model.requests).toHaveLength(0);
  });

  it("handles a webhook that was acknowledged but not yet handled when the process died", async () => {
    harness = await startHarness({
      beforeLoad: async ({ db }) => {
        // What the receiver records before it answers GitHub; the process died right after.
        const state = new SqliteState(db);
        await state.accept({
          trigger: testTrigger({
            deliveryId: "d-acknowledged",
            installationId: INSTALLATION_ID,
            owner: OWNER,
            repo: REPO,
            issueNumber: 33,
          }),
          labelName: "agent",
          command: { verb: "start", instructions: "" },
          onPullRequest: false,
          receivedAt: new Date().toISOString(),
        });
        state.close();
      },
      script: [call("give_up", { reason: "Nothing to do in this test." })],
    });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig(undefined),
      mockPermission("maintainer", "write"),
      mockJob(record, {
        cloneUrl: harness.cloneUrl,
        issueNumber: 33,
        issueTitle: "Left behind",
        issueBody: "",
        baseSha: headOf(harness.bare, "main"),
        expectPullRequest: false,
        extraComments: 1,
      }),
    ];
    await waitFor(() => harness!.logs.text.includes("picked up 1 webhook request(s)"));
    await harness.agent.idle();
    expect(harness.model.requests).toHaveLength(1);
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed" });
    expect(harness.logs.text).toContain("picked up 1 webhook request(s) a stopped process had not handled");
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });
});
