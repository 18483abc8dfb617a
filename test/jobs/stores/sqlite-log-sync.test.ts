import { mkdtempSync, rmSync, statSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it, vi } from "vitest";
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

describe("the delivery records' sync to disk", () => {
  it("answers a write only once the log holding its commit is synced", async () => {
    const { file, db } = walDatabase();
    const flushes = heldFlushes();
    const log = new WriteAheadLogSync(file, { syncFile: flushes.syncFile });
    const writes = new GroupCommit(db, (x: string) => db.prepare("INSERT INTO t VALUES (?)").run(x), {
      sync: () => log.sync(),
    });
    const first = writes.submit("a");
    let answered = false;
    void first.then(() => (answered = true));
    await vi.waitFor(() => expect(flushes.started).toHaveLength(1));
    expect(answered).toBe(false);
    flushes.started[0]!();
    await first;
  });

  it("lets commits made during a flush share the next one", async () => {
    const { file, db } = walDatabase();
    const flushes = heldFlushes();
    const log = new WriteAheadLogSync(file, { syncFile: flushes.syncFile });
    db.exec("INSERT INTO t VALUES ('a')");
    const first = log.sync();
    await vi.waitFor(() => expect(flushes.started).toHaveLength(1));
    db.exec("INSERT INTO t VALUES ('b')");
    const second = log.sync();
    db.exec("INSERT INTO t VALUES ('c')");
    const third = log.sync();
    let secondDone = false;
    void second.then(() => (secondDone = true));
    flushes.started[0]!();
    await first;
    // b and c were committed after the first flush began: neither is answered by it.
    await vi.waitFor(() => expect(flushes.started).toHaveLength(2));
    expect(secondDone).toBe(false);
    flushes.started[1]!();
    await Promise.all([second, third]);
    expect(flushes.started).toHaveLength(2);
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
  });

  it("syncs the real log of a WAL database, and has nothing to sync in memory", async () => {
    const { file, db } = walDatabase();
    db.exec("INSERT INTO t VALUES ('a')");
    const log = new WriteAheadLogSync(file);
    await expect(log.sync()).resolves.toBeUndefined();
    await expect(new WriteAheadLogSync(":memory:").sync()).resolves.toBeUndefined();
  });

  it("syncs the database file where SQLite keeps no write-ahead log", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-log-sync-"));
    dirs.push(dir);
    const file = path.join(dir, "rollback.db");
    const db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = DELETE; CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a')");
    const synced: string[] = [];
    const log = new WriteAheadLogSync(file, {
      syncFile: async (handle) => {
        synced.push((await handle.stat()).ino === statSync(file).ino ? "database" : "other");
      },
    });
    await log.sync();
    expect(synced).toEqual(["database"]);
  });
});
