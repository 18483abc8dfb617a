import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { RedisApprovals } from "../../../src/jobs/distributed/redis-approvals.ts";
import { newJob, transition } from "../../../src/jobs/job.ts";
import { RedisState } from "../../../src/jobs/stores/redis-state.ts";
import type { Trigger, TriggerRequest } from "../../../src/triggers/trigger.ts";

const redis = new Redis("redis://127.0.0.1:6379");
const prefix = `issue-agent-unit-${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
const trigger = (issueNumber: number): Trigger => ({
  kind: "label",
  deliveryId: `d${issueNumber}`,
  installationId: 1,
  owner: "octo",
  repo: "repo",
  issueNumber,
  sender: "maintainer",
  instructions: undefined,
  commentId: undefined,
});
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

describe("RedisApprovals (real Redis)", () => {
  const issue = { owner: "octo", repo: "repo", issueNumber: 9 };

  it("delivers an answer given in one process to the job waiting in another", async () => {
    const worker = new RedisApprovals(redis.duplicate(), prefix);
    const receiver = new RedisApprovals(redis.duplicate(), prefix);
    expect(await receiver.answer(issue, "approved", "maintainer")).toBeUndefined();
    const waiting = worker.wait(issue, "git push origin HEAD", 10_000);
    for (let i = 0; i < 50 && !(await redis.exists(`${prefix}:approval:octo/repo#9`)); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await receiver.answer(issue, "denied", "maintainer")).toBe("git push origin HEAD");
    await expect(waiting).resolves.toEqual({ decision: "denied", by: "maintainer" });
    // The decision applied to that command only.
    expect(await receiver.answer(issue, "approved", "maintainer")).toBeUndefined();
  });

  it("counts no answer in time as a timeout", async () => {
    const worker = new RedisApprovals(redis.duplicate(), prefix);
    await expect(worker.wait({ ...issue, issueNumber: 10 }, "npm publish", 200)).resolves.toEqual({
      decision: "timed out",
    });
  });
});
