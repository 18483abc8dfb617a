import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { newJob, transition } from "../../../src/jobs/job.ts";
import { SqliteState } from "../../../src/jobs/stores/sqlite-state.ts";
import type { Trigger, TriggerRequest } from "../../../src/triggers/trigger.ts";
import { testTrigger } from "../../helpers/test-trigger.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trigger = (issueNumber: number): Trigger => testTrigger({ owner: "Octo", repo: "Repo", issueNumber });
const config = parseAgentConfig(undefined);
const request = (deliveryId: string, receivedAt: string): TriggerRequest => ({
  trigger: { ...trigger(1), deliveryId },
  labelName: "agent",
  command: { verb: "start", instructions: "" },
  onPullRequest: false,
  receivedAt,
});

describe("SqliteState", () => {
  it("keeps jobs and deliveries across a restart (a new instance on the same file)", async () => {
    const file = path.join(dir, "restart.db");
    const first = new SqliteState(file);
    const job = newJob(trigger(1), config);
    await first.createUnlessActive(job);
    const running = { ...transition(job, "running", "started"), report: { checkRunId: 77 } };
    await first.save(running);
    expect(await first.accept(request("delivery-a", "2026-11-23T10:00:00.000Z"))).toBe(true);
    expect(await first.accept(request("delivery-b", "2026-11-23T10:00:01.000Z"))).toBe(true);
    await first.settle("delivery-b");
    first.close();

    const second = new SqliteState(file);
    expect(await second.get(job.id)).toEqual(running);
    expect((await second.listActive()).map((j) => j.id)).toEqual([job.id]);
    // A settled request is still a redelivery; an unsettled one is work to pick up after the restart.
    expect(await second.accept(request("delivery-a", "2026-11-23T11:00:00.000Z"))).toBe(false);
    expect(await second.accept(request("delivery-b", "2026-11-23T11:00:00.000Z"))).toBe(false);
    expect(await second.unsettled(new Date("2026-11-23T09:00:00.000Z"))).toEqual([]);
    expect(await second.unsettled(new Date("2026-11-23T12:00:00.000Z"))).toEqual([
      request("delivery-a", "2026-11-23T10:00:00.000Z"),
    ]);
    second.close();
  });

  it("allows one active job per issue (the database enforces it), and a new one once it ended", async () => {
    const state = new SqliteState(path.join(dir, "unique.db"));
    const first = newJob(trigger(2), config);
    expect(await state.createUnlessActive(first)).toEqual({ created: true, job: first });
    const racing = await state.createUnlessActive(
      newJob({ ...trigger(2), owner: "octo", repo: "repo" }, config),
    );
    expect(racing).toEqual({ created: false, active: first });
    expect((await state.createUnlessActive(newJob(trigger(3), config))).created).toBe(true);
    await state.save(transition(transition(first, "running", "go"), "failed", "boom"));
    expect((await state.createUnlessActive(newJob(trigger(2), config))).created).toBe(true);
    expect((await state.listActive()).length).toBe(2);
    state.close();
  });
});
