import type { DatabaseSync } from "node:sqlite";
import { ConfigError } from "../../errors.ts";

/** A process that has not renewed its claim for this long is taken to be gone. */
export const LEASE_MS = 30_000;

/** The claim's table: at most one row. */
export const OWNER_TABLE = `CREATE TABLE IF NOT EXISTS owner (
  id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL,
  token TEXT NOT NULL, heartbeat_at TEXT NOT NULL)`;

export interface Owner {
  pid: number;
  host: string;
}

/** Whether a process with this id runs on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Claims the SQLite file for one process. Two `npm start` processes on one file would each
 * recover and run the same queued jobs and both accept a redelivered webhook, so the second
 * refuses to start instead. The claim is a row with the owner and a heartbeat, taken in one write
 * transaction: it is free when absent, when its heartbeat is older than LEASE_MS, or when its
 * process on this host is gone (a restart after a crash need not wait).
 */
export function claimLease(
  db: DatabaseSync,
  file: string,
  owner: Owner & { token: string },
  now: Date,
  isAlive: (pid: number) => boolean,
): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const current = db.prepare("SELECT pid, host, token, heartbeat_at FROM owner WHERE id = 1").get() as
      { pid: number; host: string; token: string; heartbeat_at: string } | undefined;
    if (current && current.token !== owner.token) {
      const silentMs = now.getTime() - Date.parse(current.heartbeat_at);
      const gone = current.host === owner.host && (current.pid === owner.pid || !isAlive(current.pid));
      if (silentMs < LEASE_MS && !gone) {
        throw new ConfigError(
          `Another issue-agent process (pid ${current.pid} on ${current.host}) is using ${file} (last seen ${Math.max(0, Math.round(silentMs / 1_000))} s ago); two processes on one SQLite file would take the same webhooks and jobs.`,
          "Stop the other process first, or give this one its own ISSUE_AGENT_DB. To run several processes, set REDIS_URL (`npm start` receives, `npm run worker` runs jobs).",
        );
      }
    }
    db.prepare(
      `INSERT INTO owner (id, pid, host, token, heartbeat_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
         token = excluded.token, heartbeat_at = excluded.heartbeat_at`,
    ).run(owner.pid, owner.host, owner.token, now.toISOString());
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Renews the claim; false when another process has taken it over meanwhile. */
export function renewLease(db: DatabaseSync, token: string, now: Date): boolean {
  const result = db
    .prepare("UPDATE owner SET heartbeat_at = ? WHERE id = 1 AND token = ?")
    .run(now.toISOString(), token);
  return Number(result.changes) === 1;
}

/** Gives the file up, so the next process can start at once. */
export function releaseLease(db: DatabaseSync, token: string): void {
  db.prepare("DELETE FROM owner WHERE id = 1 AND token = ?").run(token);
}
