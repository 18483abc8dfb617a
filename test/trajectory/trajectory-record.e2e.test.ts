import { afterEach, describe, expect, it } from "vitest";
import type { Trajectory } from "../../src/trajectory/trajectory.ts";
import type { TrajectoryStore } from "../../src/trajectory/trajectory-store.ts";
import { INSTALLATION_TOKEN, OPENAI_KEY, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

const priced = `gates:\n  tests:\n    command: node --test\nagent:\n  price:\n    input_per_million: 10\n    cached_input_per_million: 10\n    output_per_million: 50\n`;

describe("a job's trajectory, kept with the job", () => {
  it("records model calls, commands, gates with evidence and the verdict, redacted, across a restart", async () => {
    const { h, record } = await runLabeledJob(
      [
        {
          content: `Looking. My key is ${OPENAI_KEY} and <script>alert(1)</script>`,
          toolCalls: [
            { name: "run_command", arguments: { command: `echo ${INSTALLATION_TOKEN}; node --test` } },
          ],
        },
        testGreeting,
        fixGreeting,
        call("finish", { title: "Punctuate the greeting", summary: "Done.", rationale: "As asked." }),
      ],
      { config: priced, pullRequests: 1 },
    );
    const job = await h.agent.store.latestForIssue({
      owner: "octo-org",
      repo: "hello-world",
      issueNumber: 21,
    });
    const store = h.agent.store as unknown as TrajectoryStore;
    const trajectory = (await store.getTrajectory(job!.id))!;

    const json = JSON.stringify(trajectory);
    expect(json).not.toContain(OPENAI_KEY);
    expect(json).not.toContain(INSTALLATION_TOKEN);
    expect(trajectory).toMatchObject({
      jobId: job!.id,
      repository: "octo-org/hello-world",
      state: "succeeded",
    });
    expect(trajectory.issueTitle).toBe("Do something");

    const models = trajectory.events.filter((event) => event.kind === "model");
    expect(models).toHaveLength(4);
    expect(models[0]).toMatchObject({ promptTokens: 100, completionTokens: 20, costUsd: 0.002 });
    expect(models[0]!.text).toContain("<script>alert(1)</script>");
    expect(models[0]!.text).toContain("[REDACTED]");
    // The first call sent the issue; later ones only what was added since.
    expect(
      models[0]!.sent.some((message) => message.role === "user" && message.text.includes("Do something")),
    ).toBe(true);
    expect(models[1]!.sent.map((message) => message.role)).toEqual(["tool"]);

    const command = trajectory.events.find((event) => event.kind === "tool" && event.name === "run_command");
    expect(command).toMatchObject({ command: { exitCode: 0, timedOut: false } });
    expect(command!.kind === "tool" && command!.output).toContain("[REDACTED]");

    const testFirst = trajectory.events.find((event) => event.kind === "gate" && event.gate === "test-first");
    expect(testFirst).toMatchObject({ status: "passed" });
    // Its evidence: the tests failing on the base and passing with the change.
    expect(testFirst!.kind === "gate" && testFirst!.evidence.length).toBeGreaterThan(0);

    // The delivered step, with its diff.
    const step = trajectory.events.find((event) => event.kind === "step");
    expect(step).toMatchObject({
      title: "Punctuate the greeting",
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(step!.kind === "step" && step!.files.map((file) => file.path).sort()).toEqual([
      "src/greet.js",
      "test/greet.test.js",
    ]);
    expect(step!.kind === "step" && step!.diff).toContain("+  return `Hello, ${name}!`;");

    expect(trajectory.events.at(-1)).toMatchObject({ kind: "verdict", conclusion: "success" });

    // Without OAuth credentials there is no page; the check run says how to turn it on.
    expect(record.checkRuns[0]!.details_url).toBeUndefined();
    expect(record.checkRunUpdates.at(-1)!.output.summary).toContain("The job's page is off. To turn it on");

    // The record survives a restart: a new app instance reopens the same SQLite file.
    await h.restart();
    const reopened = (await (h.agent.store as unknown as TrajectoryStore).getTrajectory(
      job!.id,
    )) as Trajectory;
    expect(reopened).toEqual(trajectory);
    const recent = await (h.agent.store as unknown as TrajectoryStore).recentTrajectories(
      "Octo-Org/hello-world",
      10,
    );
    expect(recent.map((summary) => summary.jobId)).toEqual([job!.id]);
  }, 180_000);
});

describe("the retention of job logs", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("prunes logs older than ISSUE_AGENT_LOG_RETENTION_DAYS when the app starts, and keeps newer ones", async () => {
    h = await startHarness({ script: [], settings: { ISSUE_AGENT_LOG_RETENTION_DAYS: 10 } });
    const old = new Date(Date.now() - 11 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 9 * 86_400_000).toISOString();
    const record = (jobId: string, at: string): Trajectory => ({
      jobId,
      repository: "octo-org/hello-world",
      issueNumber: 5,
      issueTitle: "Old work",
      state: "succeeded",
      startedAt: at,
      updatedAt: at,
      cut: 0,
      events: [],
    });
    const store = () => h!.agent.store as unknown as TrajectoryStore;
    await store().saveTrajectory(record("old-job", old));
    await store().saveTrajectory(record("recent-job", recent));

    await h.restart();
    await expect.poll(async () => store().getTrajectory("old-job")).toBeUndefined();
    expect((await store().getTrajectory("recent-job"))?.issueTitle).toBe("Old work");
    expect((await store().recentTrajectories("octo-org/hello-world", 10)).map((t) => t.jobId)).toEqual([
      "recent-job",
    ]);
  }, 120_000);
});
