import type { DatabaseSync } from "node:sqlite";

/**
 * Writes that arrive together share one transaction, and so one sync of the log to disk (the
 * database keeps `synchronous = FULL`: a write is on disk before its promise resolves). Under a
 * burst of webhooks that turns one blocking disk sync per delivery into one per turn of the event
 * loop. Each write still gets its own answer; a failed transaction fails every write in it.
 */
export class GroupCommit<Item, Result> {
  private readonly db: DatabaseSync;
  private readonly write: (item: Item) => Result;
  private pending: Array<{
    item: Item;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }> = [];

  /** `write` runs inside the shared transaction, synchronously. */
  constructor(db: DatabaseSync, write: (item: Item) => Result) {
    this.db = db;
    this.write = write;
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
    batch.forEach(({ resolve }, index) => resolve(results[index]!));
  }
}
