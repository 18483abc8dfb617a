import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { newJob, transition, type Job } from "../../src/jobs/job.ts";
import type { JobQueue } from "../../src/jobs/job-queue.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import { wakeExpiredWaits } from "../../src/jobs/waiting-jobs.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

function waitingJob(issueNumber: number, deadline: string): Job {
  const job = newJob(testTrigger({ issueNumber }), parseAgentConfig(undefined));
  return {
    ...transition(transition(job, "running", "started"), "waiting_for_human", "asked"),
    resumes: 1,
    waiting: {
      question: "Which one?",
      askedAt: "2026-11-23T10:00:00.000Z",
      deadline,
      messages: [],
      runLog: {},
      bundle: "",
      branch: "agent/1-x",
      baseSha: "0".repeat(40),
    },
  };
}

describe("wakeExpiredWaits", () => {
  it("queues the jobs whose wait ran out (as their next run), and leaves the others waiting", async () => {
    const store = new MemoryJobStore();
    const expired = waitingJob(1, "2026-11-23T11:00:00.000Z");
    const pending = waitingJob(2, "2026-11-24T11:00:00.000Z");
    for (const job of [expired, pending]) await store.createUnlessActive(job);
    const queued: Array<[string, number | undefined]> = [];
    const queue: JobQueue = {
      enqueue: async (id, run) => void queued.push([id, run]),
      idle: async () => undefined,
      close: async () => undefined,
    };
    const woken = await wakeExpiredWaits({ store, queue }, new Date("2026-11-23T12:00:00.000Z"));
    expect(woken.map((job) => job.id)).toEqual([expired.id]);
    expect(queued).toEqual([[expired.id, 1]]);
    expect((await store.get(expired.id))!.state).toBe("queued");
    expect((await store.get(expired.id))!.events.at(-1)!.message).toBe(
      "queued: no answer before the deadline",
    );
    expect((await store.get(pending.id))!.state).toBe("waiting_for_human");
  });
});
