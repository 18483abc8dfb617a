import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { newJob, transition } from "../../../src/jobs/job.ts";
import { SqliteState } from "../../../src/jobs/stores/sqlite-state.ts";
import type { Trigger } from "../../../src/triggers/trigger.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trigger = (issueNumber: number): Trigger => ({
  kind: "label",
  deliveryId: `d${issueNumber}`,
  installationId: 1,
  owner: "Octo",
  repo: "Repo",
  issueNumber,
  sender: "maintainer",
  instructions: undefined,
  commentId: undefined,
});
const config = parseAgentConfig(undefined);

describe("SqliteState", () => {
  it("keeps jobs and deliveries across a restart (a new instance on the same file)", async () => {
    const file = path.join(dir, "restart.db");
    const first = new SqliteState(file);
    const job = newJob(trigger(1), config);
    await first.createUnlessActive(job);
    const running = { ...transition(job, "running", "started"), report: { checkRunId: 77 } };
    await first.save(running);
    expect(await first.firstSighting("delivery-a")).toBe(true);
    first.close();

    const second = new SqliteState(file);
    expect(await second.get(job.id)).toEqual(running);
    expect((await second.listActive()).map((j) => j.id)).toEqual([job.id]);
    expect(await second.firstSighting("delivery-a")).toBe(false);
    expect(await second.firstSighting("delivery-b")).toBe(true);
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
