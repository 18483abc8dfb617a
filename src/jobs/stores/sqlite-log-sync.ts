import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";

/**
 * Makes every commit written so far durable without the event loop waiting on the disk: an fsync
 * of the database's write-ahead log, run on libuv's thread pool. In WAL mode a commit is its frames
 * in the log; once the log is on disk, a power loss cannot take it (recovery replays the log up
 * to its last complete commit, and a checkpoint syncs the log before it copies frames out and the
 * database after). SQLite's own `synchronous = FULL` would do the same sync inside COMMIT, on the
 * thread that runs it: with node:sqlite that is the event loop, stopped for the whole disk flush
 * (about 1 ms on a local SSD, tens on a network disk) while webhooks wait for their answers. (The
 * automatic checkpoint, once the log reaches 1,000 pages, still syncs inside a COMMIT.)
 *
 * Flushes do not overlap: commits made while one runs share the next.
 */
export class WriteAheadLogSync {
  private readonly database: string;
  private readonly syncFile: (log: FileHandle) => Promise<void>;
  private directorySynced = false;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  /** `database` is the SQLite file (WAL mode); ":memory:" has no log and nothing to sync. */
  constructor(database: string, options: { syncFile?: (log: FileHandle) => Promise<void> } = {}) {
    this.database = database;
    this.syncFile = options.syncFile ?? ((log) => log.sync());
  }

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    if (this.database === ":memory:") return Promise.resolve();
    if (!this.running) {
      this.running = this.flush().finally(() => (this.running = undefined));
      return this.running;
    }
    // The running flush may have started before this caller's commit: it waits for the next one.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.sync();
      });
    return this.next;
  }

  /** Opened for each flush, so no descriptor outlives it (nor a log SQLite has replaced). */
  private async flush(): Promise<void> {
    // Where SQLite could not use a write-ahead log (journal_mode stays DELETE on a filesystem
    // without shared memory), commits go to the database file itself: that is what is synced.
    const log = await open(`${this.database}-wal`, "r").catch((error: NodeJS.ErrnoException) =>
      error.code === "ENOENT" ? open(this.database, "r") : Promise.reject(error),
    );
    try {
      await this.syncFile(log);
    } finally {
      await log.close();
    }
    if (this.directorySynced) return;
    // The log's name must survive a power loss too: its directory is synced once.
    const directory = await open(path.dirname(this.database), "r");
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    this.directorySynced = true;
  }
}
