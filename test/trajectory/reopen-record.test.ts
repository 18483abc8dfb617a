import { describe, expect, it } from "vitest";
import { RunLog } from "../../src/jobs/run-log.ts";
import type { Job } from "../../src/jobs/job.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { TrajectoryRecorder } from "../../src/trajectory/trajectory-recorder.ts";
import type { Trajectory } from "../../src/trajectory/trajectory.ts";

/** A store whose reads fail the first `failures` times, as Redis or SQLite do for a moment. */
class FlakyStore extends MemoryJobStore {
  private failures: number;
  constructor(failures: number) {
    super();
    this.failures = failures;
  }
  override async getTrajectory(jobId: string) {
    if (this.failures-- > 0) throw new Error("connection reset");
    return super.getTrajectory(jobId);
  }
}

const paused: Trajectory = {
  jobId: "job-9",
  repository: "octo/repo",
  issueNumber: 9,
  issueTitle: "Greeting docs",
  state: "waiting_for_human",
  startedAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T10:05:00.000Z",
  cut: 0,
  events: [{ kind: "note", at: "2026-12-01T10:05:00.000Z", text: "❓ Which punctuation?" }],
};

const job = {
  id: "job-9",
  trigger: { owner: "octo", repo: "repo", issueNumber: 9 },
  state: "running",
  startedAt: paused.startedAt,
} as unknown as Job;

describe("a resumed job's record when the store cannot be read for a moment", () => {
  it("keeps the paused run's title and events, and adds the resumed run's after them", async () => {
    const store = new FlakyStore(2);
    await store.saveTrajectory(paused);
    const warnings: string[] = [];
    const recorder = await TrajectoryRecorder.open({
      job,
      store,
      redactor: new SecretRedactor(),
      log: new RunLog(),
      notes: [],
      logger: { warn: (_obj, msg) => void warnings.push(msg) },
    });
    // The resumed run fails before it reads the issue again (GitHub unreachable, say).
    await recorder.finish("failed", { conclusion: "failure", headline: "GitHub did not answer", detail: "" });

    const saved = (await store.getTrajectory("job-9"))!;
    expect(saved.issueTitle).toBe("Greeting docs");
    expect(saved.state).toBe("failed");
    expect(saved.events.map((event) => event.kind)).toEqual(["note", "verdict"]);
    expect(warnings[0]).toContain("could not read the job's trajectory");
  });
});
