import type { DatabaseSync } from "node:sqlite";

/**
 * The database's setting for every other write. NORMAL in WAL mode: a commit survives the process
 * dying, and a power loss can only take the newest commits, never a middle one (the log is replayed
 * up to its first incomplete commit). So a job or a settle written after a durable delivery record
 * is either kept or lost together with everything after it; the delivery stays, unsettled, and
 * the intake's recovery handles it again.
 */
export const DEFAULT_SYNCHRONOUS = "NORMAL";

/**
 * Writes that arrive together share one transaction, and so one sync of the log to disk: with
 * `durable`, the transaction commits with `synchronous = FULL`, so every write is on disk before
 * its promise resolves. Under a burst of webhooks that turns one blocking disk sync per delivery
 * into one per turn of the event loop. Each write still gets its own answer; a failed transaction
 * fails every write in it.
 */
export class GroupCommit<Item, Result> {
  private readonly db: DatabaseSync;
  private readonly write: (item: Item) => Result;
  private pending: Array<{
    item: Item;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }> = [];

  private readonly durable: boolean;

  /** `write` runs inside the shared transaction, synchronously. */
  constructor(db: DatabaseSync, write: (item: Item) => Result, options: { durable?: boolean } = {}) {
    this.db = db;
    this.write = write;
    this.durable = options.durable ?? false;
  }

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // After this turn's I/O callbacks: everything that arrived with it joins the transaction.
      if (this.pending.length === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const batch = this.pending;
    this.pending = [];
    let results: Result[];
    try {
      if (this.durable) this.db.exec("PRAGMA synchronous = FULL");
      this.db.exec("BEGIN IMMEDIATE");
      try {
        results = batch.map(({ item }) => this.write(item));
        this.db.exec("COMMIT");
      } catch (error) {
        this.db.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    } finally {
      if (this.durable) this.db.exec(`PRAGMA synchronous = ${DEFAULT_SYNCHRONOUS}`);
    }
    batch.forEach(({ resolve }, index) => resolve(results[index]!));
  }
}
