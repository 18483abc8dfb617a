import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { BullJobQueue, startBullWorker } from "../../../src/jobs/distributed/bullmq-queue.ts";
import { newJob } from "../../../src/jobs/job.ts";
import { RedisState } from "../../../src/jobs/stores/redis-state.ts";
import { delayNotice } from "../../../src/report/render-delay-notice.ts";
import { testTrigger } from "../../helpers/test-trigger.ts";

const REDIS_URL = "redis://127.0.0.1:6379";
const redis = new Redis(REDIS_URL);
const prefix = `issue-agent-unit-${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
const quiet = { info() {}, warn() {}, error() {} };

describe("the BullMQ worker (real Redis)", () => {
  it("holds a second job on a repository at its limit, tells its issue once, and runs it afterwards", async () => {
    const store = new RedisState(redis, prefix);
    const config = parseAgentConfig(undefined);
    const jobs = [1, 2].map((issueNumber) =>
      newJob(
        testTrigger({ deliveryId: `d-${issueNumber}`, installationId: 7, repo: "busy", issueNumber }),
        config,
      ),
    );
    for (const job of jobs) await store.createUnlessActive(job);
    const ran: string[] = [];
    const notices: Array<{ jobId: string; reason: string }> = [];
    const worker = startBullWorker({
      redisUrl: REDIS_URL,
      redis,
      prefix,
      concurrency: 2,
      lockMs: 5_000,
      limits: { repositoryConcurrency: 1, installationJobsPerHour: 100 },
      store,
      handler: async (jobId) => {
        ran.push(jobId);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      },
      onFirstDelay: async (jobId, reason) => void notices.push({ jobId, reason }),
      log: quiet,
    });
    const queue = new BullJobQueue(REDIS_URL, prefix);
    for (const job of jobs) await queue.enqueue(job.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queue.idle();
    await queue.close();
    await worker.shutdown(1_000);

    expect(ran.sort()).toEqual(jobs.map((job) => job.id).sort());
    // One notice, for the job that waited, however often it was tried again.
    expect(notices).toHaveLength(1);
    expect(notices[0]!.reason).toBe("octo/busy already runs 1 job(s)");
    const waited = await store.get(notices[0]!.jobId);
    expect(waited!.events.map((event) => event.message)).toContain(
      "delayed by a limit: octo/busy already runs 1 job(s)",
    );
  }, 20_000);

  it("words the notice for the issue", () => {
    expect(delayNotice("octo/busy already runs 1 job(s)", new Date("2026-11-23T10:05:00Z"))).toBe(
      "issue-agent has queued this issue: octo/busy already runs 1 job(s). It will try again at about 10:05 UTC and start by itself; nothing needs to be done. The status comment appears once it starts.",
    );
  });
});
