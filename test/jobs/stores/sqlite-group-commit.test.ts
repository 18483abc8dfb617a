import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteState } from "../../../src/jobs/stores/sqlite-state.ts";
import type { TriggerRequest } from "../../../src/triggers/trigger.ts";

const request = (deliveryId: string, receivedAt = new Date().toISOString()) =>
  ({
    trigger: { deliveryId, owner: "o", repo: "r", issueNumber: 1 },
    receivedAt,
  }) as unknown as TriggerRequest;

describe("SqliteState's delivery records under a burst", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("records deliveries arriving together, each answered on its own, a repeat refused", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-group-commit-"));
    dirs.push(dir);
    const file = path.join(dir, "state.db");
    const state = new SqliteState(file);
    const answers = await Promise.all([
      state.accept(request("a")),
      state.accept(request("b")),
      state.accept(request("a")),
      state.accept(request("c")),
    ]);
    expect(answers).toEqual([true, true, false, true]);
    await state.settle("b");
    state.close();
    // On disk for the next process: what was not settled is handed back.
    const reopened = new SqliteState(file);
    const left = await reopened.unsettled(new Date(Date.now() + 1_000));
    expect(left.map((r) => r.trigger.deliveryId).sort()).toEqual(["a", "c"]);
    expect(await reopened.accept(request("c"))).toBe(false);
    reopened.close();
  });
});
