import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteState } from "../../../src/jobs/stores/sqlite-state.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function twoStores() {
  dir = mkdtempSync(path.join(tmpdir(), "lease-"));
  const file = path.join(dir, "state.db");
  return { file, a: new SqliteState(file), b: new SqliteState(file) };
}

describe("one process per SQLite file", () => {
  it("refuses a second owner while the first is alive, naming it and the way out", () => {
    const { file, a, b } = twoStores();
    a.claimOwnership({ pid: 101, host: "box-a" });
    expect(() => b.claimOwnership({ pid: 202, host: "box-b" })).toThrow(
      `Another issue-agent process (pid 101 on box-a) is using ${file}`,
    );
    try {
      b.claimOwnership({ pid: 202, host: "box-b" });
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(/ISSUE_AGENT_DB|REDIS_URL/);
    }
    a.close();
    b.close();
  });

  it("lets the next process take over once the first has released the file or stopped answering", () => {
    const { a, b } = twoStores();
    const t0 = new Date("2026-12-01T10:00:00Z");
    a.claimOwnership({ pid: 101, host: "box-a" }, t0);
    a.close(); // releases
    b.claimOwnership({ pid: 202, host: "box-b" }, t0);
    const c = new SqliteState(path.join(dir!, "state.db"));
    // box-b went silent (no heartbeat for longer than the lease): c may take over.
    expect(() => c.claimOwnership({ pid: 303, host: "box-c" }, new Date(t0.getTime() + 5_000))).toThrow();
    expect(() =>
      c.claimOwnership({ pid: 303, host: "box-c" }, new Date(t0.getTime() + 120_000)),
    ).not.toThrow();
    b.close();
    c.close();
  });

  it("takes over from a process on this host that is gone (a crash, then a restart)", () => {
    const { a, b } = twoStores();
    a.claimOwnership({ pid: 2 ** 22 + 12_345, host: "this-host" }); // no such pid
    expect(() =>
      b.claimOwnership({ pid: process.pid, host: "this-host" }, undefined, () => false),
    ).not.toThrow();
    a.close();
    b.close();
  });
});
