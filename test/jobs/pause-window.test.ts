import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import type { InboxItem, JobInbox } from "../../src/jobs/job-inbox.ts";
import { newJob, transition, type Job } from "../../src/jobs/job.ts";
import type { JobQueue } from "../../src/jobs/job-queue.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { commitPause } from "../../src/jobs/pause-window.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import { RedisState } from "../../src/jobs/stores/redis-state.ts";
import { SqliteState } from "../../src/jobs/stores/sqlite-state.ts";
import { wakeIfPausedSince } from "../../src/jobs/waiting-jobs.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-pause-"));
const redis = new Redis("redis://127.0.0.1:6379");
const prefix = `issue-agent-pause-${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const ASKED = "2026-11-23T10:00:00.000Z";
const BEFORE = "2026-11-23T09:59:59.000Z";
const AFTER = "2026-11-23T10:00:01.000Z";
let issue = 0;

/** A running job, saved, and the same job as it looks once it has decided to pause. */
async function pausingJob(store: JobStore, approval = false) {
  issue += 1;
  const job = transition(
    newJob(testTrigger({ issueNumber: issue }), parseAgentConfig(undefined)),
    "running",
    "started",
  );
  await store.createUnlessActive(job);
  const waiting: Job & { waiting: NonNullable<Job["waiting"]> } = {
    ...transition(job, "waiting_for_human", "asked"),
    resumes: 1,
    waiting: {
      question: "Which one?",
      approval: approval ? { command: "npm publish", reason: "publishing" } : undefined,
      askedAt: ASKED,
      deadline: "2026-11-24T10:00:00.000Z",
      messages: [],
      runLog: {},
      bundle: "",
      branch: `agent/${issue}-x`,
      baseSha: "0".repeat(40),
    },
  };
  return { job, waiting };
}

const item = (kind: InboxItem["kind"], at: string, text = "yes"): InboxItem => ({
  kind,
  by: "maintainer",
  text,
  at,
});

const stores: Array<[string, () => JobStore & JobInbox]> = [
  ["memory", () => new MemoryJobStore()],
  ["SQLite", () => new SqliteState(path.join(dir, `${randomBytes(4).toString("hex")}.db`))],
  ["Redis (real)", () => new RedisState(redis.duplicate(), prefix)],
];

describe.each(stores)("a pause in the %s store", (_name, makeStore) => {
  it("holds when no answer came since the question; an older message stays for the resumed run", async () => {
    const store = makeStore();
    const { waiting } = await pausingJob(store);
    expect(await commitPause(waiting, [item("message", BEFORE, "steer")], { store, inbox: store })).toBe(
      true,
    );
    expect((await store.get(waiting.id))?.state).toBe("waiting_for_human");
    expect(await store.take(waiting.id)).toEqual([item("message", BEFORE, "steer")]);
  });

  it("does not hold when an answer came while pausing, whether still in the inbox or already read", async () => {
    for (const unread of [[], [item("message", AFTER)]]) {
      const store = makeStore();
      const { waiting } = await pausingJob(store);
      if (unread.length === 0) await store.post(waiting.id, item("message", AFTER));
      expect(await commitPause(waiting, unread, { store, inbox: store })).toBe(false);
      // Not saved as waiting: nobody else sees a pause to wake, so the job alone goes on.
      expect((await store.get(waiting.id))?.state).toBe("running");
      expect(await store.take(waiting.id)).toEqual([item("message", AFTER)]);
    }
  });

  it("answers an approval request only with a decision or a stop", async () => {
    const store = makeStore();
    const { waiting } = await pausingJob(store, true);
    await store.post(waiting.id, item("waiver", AFTER));
    expect(await commitPause(waiting, [], { store, inbox: store })).toBe(true);
    const other = await pausingJob(store, true);
    await store.post(other.waiting.id, item("approval", AFTER, "approved"));
    expect(await commitPause(other.waiting, [], { store, inbox: store })).toBe(false);
  });
});

describe("wakeIfPausedSince", () => {
  const queue = (enqueued: string[]): JobQueue => ({
    enqueue: async (id: string) => void enqueued.push(id),
    idle: async () => undefined,
    close: async () => undefined,
  });

  it("wakes a job that paused after it was seen running, for an answer sent since its question", async () => {
    const store = new MemoryJobStore();
    const enqueued: string[] = [];
    const { job, waiting } = await pausingJob(store);
    expect(await wakeIfPausedSince(job.id, item("message", AFTER), { store, queue: queue(enqueued) })).toBe(
      false,
    );
    await store.save(waiting);
    expect(await wakeIfPausedSince(job.id, item("message", BEFORE), { store, queue: queue(enqueued) })).toBe(
      false,
    );
    expect(await wakeIfPausedSince(job.id, item("message", AFTER), { store, queue: queue(enqueued) })).toBe(
      true,
    );
    expect(enqueued).toEqual([job.id]);
    expect((await store.get(job.id))?.state).toBe("queued");
  });
});
