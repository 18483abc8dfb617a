import { mkdtempSync, rmSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../../src/jobs/stores/sqlite-group-commit.ts";
import { WriteAheadLogSync } from "../../../src/jobs/stores/sqlite-log-sync.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function walDatabase() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-log-sync-"));
  dirs.push(dir);
  const file = path.join(dir, "state.db");
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (x TEXT)");
  return { file, db };
}

/** A flush the test finishes by hand, counting the flushes started. */
function heldFlushes() {
  const started: Array<() => void> = [];
  const syncFile = (_log: FileHandle) => new Promise<void>((resolve) => started.push(resolve));
  return { started, syncFile };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

describe("the delivery records' sync to disk", () => {
  it("answers a write only once the log holding its commit is synced", async () => {
    const { file, db } = walDatabase();
    const flushes = heldFlushes();
    const log = new WriteAheadLogSync(file, { syncFile: flushes.syncFile });
    const writes = new GroupCommit(db, (x: string) => db.prepare("INSERT INTO t VALUES (?)").run(x), {
      sync: () => log.sync(),
    });
    const first = writes.submit("a");
    expect(await settled(first)).toBe(false);
    expect(flushes.started).toHaveLength(1);
    flushes.started[0]!();
    expect(await settled(first)).toBe(true);
    log.close();
  });

  it("lets commits made during a flush share the next one", async () => {
    const { file, db } = walDatabase();
    const flushes = heldFlushes();
    const log = new WriteAheadLogSync(file, { syncFile: flushes.syncFile });
    db.exec("INSERT INTO t VALUES ('a')");
    const first = log.sync();
    await new Promise((resolve) => setTimeout(resolve, 20));
    db.exec("INSERT INTO t VALUES ('b')");
    const second = log.sync();
    db.exec("INSERT INTO t VALUES ('c')");
    const third = log.sync();
    expect(flushes.started).toHaveLength(1);
    flushes.started[0]!();
    await first;
    // b and c were committed after the first flush began: neither is answered by it.
    expect(await settled(second)).toBe(false);
    expect(flushes.started).toHaveLength(2);
    flushes.started[1]!();
    await Promise.all([second, third]);
    expect(flushes.started).toHaveLength(2);
    log.close();
  });

  it("fails every write of a batch whose flush fails, and the next flush tries again", async () => {
    const { file, db } = walDatabase();
    let fail = true;
    const log = new WriteAheadLogSync(file, {
      syncFile: async () => {
        if (fail) throw new Error("EIO: i/o error, fsync");
      },
    });
    const writes = new GroupCommit(db, (x: string) => db.prepare("INSERT INTO t VALUES (?)").run(x), {
      sync: () => log.sync(),
    });
    const results = await Promise.allSettled([writes.submit("a"), writes.submit("b")]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(writes.submit("c")).resolves.toBeDefined();
    log.close();
  });

  it("syncs the real log of a WAL database, and has nothing to sync in memory", async () => {
    const { file, db } = walDatabase();
    db.exec("INSERT INTO t VALUES ('a')");
    const log = new WriteAheadLogSync(file);
    await expect(log.sync()).resolves.toBeUndefined();
    log.close();
    await expect(new WriteAheadLogSync(":memory:").sync()).resolves.toBeUndefined();
  });
});
