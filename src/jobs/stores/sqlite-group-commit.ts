import type { DatabaseSync } from "node:sqlite";

/**
 * The database's setting. NORMAL in WAL mode: a commit survives the process dying, and a power
 * loss can only take the newest commits, never a middle one (the log is replayed up to its first
 * incomplete commit). So a job or a settle written after a durable delivery record is either kept
 * or lost together with everything after it; the delivery stays, unsettled, and the intake's
 * recovery handles it again. What must survive a power loss before an answer (a delivery's
 * record) waits for the log's sync (see GroupCommit's `sync`).
 */
export const DEFAULT_SYNCHRONOUS = "NORMAL";

/**
 * Writes that arrive together share one transaction. With `sync`, a write's promise resolves only
 * once its commit is on disk (see WriteAheadLogSync): under a burst of webhooks that is one disk
 * flush for all the deliveries of a turn of the event loop, or of several while one runs, and none
 * of them on the event loop. Each write still gets its own answer; a failed transaction, or a
 * failed flush, fails every write in it.
 */
export class GroupCommit<Item, Result> {
  private readonly db: DatabaseSync;
  private readonly write: (item: Item) => Result;
  private readonly sync: (() => Promise<void>) | undefined;
  private pending: Array<{
    item: Item;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }> = [];

  /** `write` runs inside the shared transaction, synchronously. */
  constructor(db: DatabaseSync, write: (item: Item) => Result, options: { sync?: () => Promise<void> } = {}) {
    this.db = db;
    this.write = write;
    this.sync = options.sync;
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
    }
    const answer = () => batch.forEach(({ resolve }, index) => resolve(results[index]!));
    if (!this.sync) return answer();
    this.sync().then(answer, (error: unknown) => {
      for (const { reject } of batch) reject(error);
    });
  }
}
