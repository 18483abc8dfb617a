import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { newJob, transition } from "../../../src/jobs/job.ts";
import { RedisState } from "../../../src/jobs/stores/redis-state.ts";
import type { Trigger, TriggerRequest } from "../../../src/triggers/trigger.ts";
import { testTrigger } from "../../helpers/test-trigger.ts";

const redis = new Redis("redis://127.0.0.1:6379");
const prefix = `issue-agent-unit-${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
const trigger = (issueNumber: number): Trigger => testTrigger({ issueNumber });
const config = parseAgentConfig(undefined);

describe("RedisState (real Redis)", () => {
  it("is shared by every client: one active job per issue, even when two clients race", async () => {
    const a = new RedisState(redis, prefix);
    const b = new RedisState(redis.duplicate(), prefix);
    const [first, second] = await Promise.all([
      a.createUnlessActive(newJob(trigger(1), config)),
      b.createUnlessActive(newJob(trigger(1), config)),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const winner = first.created ? first.job : second.created ? second.job : undefined;
    if (!winner) throw new Error("no job was created");
    expect(await b.get(winner.id)).toEqual(winner);
    expect((await a.listActive()).map((j) => j.id)).toEqual([winner.id]);

    await a.save(transition(transition(winner, "running", "go"), "succeeded", "done"));
    expect(await a.listActive()).toEqual([]);
    expect((await b.createUnlessActive(newJob(trigger(1), config))).created).toBe(true);
  });

  it("recognizes a redelivered webhook from any process, and hands unsettled requests to any", async () => {
    const a = new RedisState(redis, prefix);
    const b = new RedisState(redis.duplicate(), prefix);
    const request = (deliveryId: string, receivedAt: string): TriggerRequest => ({
      trigger: { ...trigger(2), deliveryId },
      labelName: undefined,
      command: { verb: "start", instructions: "" },
      onPullRequest: false,
      receivedAt,
    });
    expect(await a.accept(request("delivery-x", "2026-11-23T10:00:00.000Z"))).toBe(true);
    expect(await b.accept(request("delivery-x", "2026-11-23T10:00:05.000Z"))).toBe(false);
    expect(await a.accept(request("delivery-y", "2026-11-23T10:00:01.000Z"))).toBe(true);
    expect(await b.unsettled(new Date("2026-11-23T10:00:00.500Z"))).toEqual([
      request("delivery-x", "2026-11-23T10:00:00.000Z"),
    ]);
    await b.settle("delivery-x");
    expect(await a.unsettled(new Date("2026-11-23T11:00:00.000Z"))).toEqual([
      request("delivery-y", "2026-11-23T10:00:01.000Z"),
    ]);
    expect(await b.accept(request("delivery-x", "2026-11-23T10:00:09.000Z"))).toBe(false);
  });
});

describe("the job inbox in Redis (real Redis)", () => {
  it("hands a stop, a message or an approval posted by one process to the job's process, each once", async () => {
    const receiver = new RedisState(redis.duplicate(), prefix);
    const worker = new RedisState(redis.duplicate(), prefix);
    const at = "2026-11-23T10:00:00.000Z";
    await receiver.post("job-1", { kind: "message", by: "maintainer", text: "use tabs", at });
    await receiver.post("job-1", { kind: "approval", by: "maintainer", text: "approved", at });
    await receiver.post("job-2", { kind: "stop", by: "maintainer", text: "", at });
    expect(await worker.take("job-1")).toEqual([
      { kind: "message", by: "maintainer", text: "use tabs", at },
      { kind: "approval", by: "maintainer", text: "approved", at },
    ]);
    expect(await worker.take("job-1")).toEqual([]);
    expect(await worker.take("job-2")).toEqual([{ kind: "stop", by: "maintainer", text: "", at }]);
  });
});
