import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { isActive, newJob, transition, type JobState } from "../../src/jobs/job.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import type { Trigger } from "../../src/triggers/trigger.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

const trigger: Trigger = testTrigger({ deliveryId: "d1", owner: "o", repo: "r", issueNumber: 1 });
const config = parseAgentConfig(undefined);

describe("job state machine", () => {
  it.each<[JobState, JobState, boolean]>([
    ["queued", "running", true],
    ["queued", "cancelled", true],
    ["running", "succeeded", true],
    ["running", "failed", true],
    ["running", "cancelled", true],
    ["queued", "succeeded", false],
    ["succeeded", "running", false],
    ["failed", "running", false],
    ["cancelled", "queued", false],
  ])("%s → %s allowed: %s", (from, to, allowed) => {
    const job = { ...newJob(trigger, config), state: from };
    if (allowed) expect(transition(job, to, "x").state).toBe(to);
    else expect(() => transition(job, to, "x")).toThrow(`cannot go from ${from} to ${to}`);
  });

  it("logs every transition with its time", () => {
    const job = transition(newJob(trigger, config, new Date(0)), "running", "started", new Date(1000));
    expect(job.events).toEqual([
      { at: "1970-01-01T00:00:00.000Z", message: "queued (label by @maintainer)" },
      { at: "1970-01-01T00:00:01.000Z", message: "running: started" },
    ]);
    expect(isActive(job.state)).toBe(true);
  });
});

describe("MemoryJobStore", () => {
  it("keeps one active job per issue, case-insensitively, and allows a new one after it ends", async () => {
    const store = new MemoryJobStore();
    const first = newJob(trigger, config);
    expect((await store.createUnlessActive(first)).created).toBe(true);
    const second = await store.createUnlessActive(newJob({ ...trigger, owner: "O", repo: "R" }, config));
    expect(second).toEqual({ created: false, active: first });
    await store.save(transition(transition(first, "running", "go"), "succeeded", "done"));
    expect((await store.createUnlessActive(newJob(trigger, config))).created).toBe(true);
  });
});
