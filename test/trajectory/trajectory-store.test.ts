import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisState } from "../../src/jobs/stores/redis-state.ts";
import { SqliteState } from "../../src/jobs/stores/sqlite-state.ts";
import { bound, clip, type Trajectory } from "../../src/trajectory/trajectory.ts";
import { waitFor } from "../helpers/wait-for.ts";

const trajectory = (jobId: string, updatedAt: string, repository = "octo/repo"): Trajectory => ({
  jobId,
  repository,
  issueNumber: 7,
  issueTitle: "Fix it",
  state: "succeeded",
  startedAt: updatedAt,
  updatedAt,
  cut: 0,
  events: [{ kind: "note", at: updatedAt, text: "hello" }],
});

describe("SqliteState's trajectories", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trajectories-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("survive reopening the file, list a repository's newest first, and are pruned by age", async () => {
    const file = path.join(dir, "state.db");
    const first = new SqliteState(file);
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await first.saveTrajectory(trajectory("old", old));
    const now = new Date().toISOString();
    await first.saveTrajectory(trajectory("new", now));
    await first.saveTrajectory(trajectory("other", new Date().toISOString(), "octo/other"));
    first.close();

    const reopened = new SqliteState(file);
    expect(await reopened.getTrajectory("new")).toEqual(trajectory("new", now));
    expect((await reopened.recentTrajectories("Octo/Repo", 10)).map((t) => t.jobId)).toEqual(["new", "old"]);
    expect(await reopened.pruneTrajectories(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await reopened.getTrajectory("old")).toBeUndefined();
    expect((await reopened.recentTrajectories("octo/repo", 10)).map((t) => t.jobId)).toEqual(["new"]);
    reopened.close();
  });
});

describe("RedisState's trajectories (real Redis)", () => {
  const redis = new Redis("redis://127.0.0.1:6379");
  const prefix = `issue-agent-trajectory-${randomBytes(4).toString("hex")}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("are shared by every client and expire after the retention", async () => {
    const a = new RedisState(redis, prefix, 1 / 86_400);
    const b = new RedisState(redis.duplicate(), prefix, 1 / 86_400);
    await a.saveTrajectory(trajectory("r1", new Date().toISOString()));
    expect((await b.getTrajectory("r1"))?.jobId).toBe("r1");
    expect((await b.recentTrajectories("octo/repo", 10)).map((t) => t.jobId)).toEqual(["r1"]);
    const ttl = await redis.ttl(`${prefix}:trajectory:r1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1);
    // Redis expires the key within the second; wait for that instead of a fixed time.
    await waitFor(async () => (await b.getTrajectory("r1")) === undefined, 5_000, 50);
    expect(await b.recentTrajectories("octo/repo", 10)).toEqual([]);
  });
});

describe("a trajectory's size bound", () => {
  it("keeps a long output's head and tail with a marker", () => {
    const text = `START${"x".repeat(50_000)}END`;
    const clipped = clip(text, 1_000);
    expect(clipped.length).toBeLessThan(1_100);
    expect(clipped).toMatch(/^START/);
    expect(clipped).toMatch(/END$/);
    expect(clipped).toContain("characters cut");
  });

  it("cuts the oldest large outputs first and keeps the newest events", () => {
    const big = (n: number) => ({ kind: "note" as const, at: `t${n}`, text: `${n}:${"y".repeat(10_000)}` });
    const full = { ...trajectory("b", "now"), events: [big(1), big(2), big(3), big(4)] };
    const bounded = bound(full, 25_000);
    expect(JSON.stringify(bounded).length).toBeLessThanOrEqual(25_000);
    expect(bounded.events).toHaveLength(4);
    expect(bounded.events[0]).toMatchObject({ text: expect.stringContaining("characters cut") });
    expect(bounded.events[3]).toEqual(big(4));
    expect(bounded.cut).toBeGreaterThan(0);
  });
});
