import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { DeliveryLog } from "../delivery-log.ts";
import { issueKey, type TriggerRequest } from "../trigger.ts";
import type { Job } from "../job.ts";
import { answersPause, type InboxItem, type JobInbox } from "../job-inbox.ts";
import type { JobStore } from "../job-store.ts";
import {
  claimLease,
  LEASE_MS,
  OWNER_TABLE,
  processAlive,
  releaseLease,
  renewLease,
  type Owner,
} from "./sqlite-owner-lease.ts";
import { DEFAULT_SYNCHRONOUS, GroupCommit } from "./sqlite-group-commit.ts";
import type { Trajectory } from "../../trajectory/trajectory.ts";
import { summaryOf, type TrajectoryStore } from "../../trajectory/trajectory-store.ts";

/** How long a delivery id is remembered; GitHub redelivers within days. */
const DELIVERY_RETENTION_DAYS = 30;

/**
 * The embedded default: job records and seen webhook deliveries in one SQLite file (node:sqlite, no
 * service, no native addon). One active job per issue is a unique index, so it holds even for
 * triggers that race.
 */
export class SqliteState implements JobStore, DeliveryLog, JobInbox, TrajectoryStore {
  private readonly db: DatabaseSync;
  private readonly file: string;
  private readonly ownerToken = randomUUID();
  private heartbeat: NodeJS.Timeout | undefined;
  /** Compiled once per statement, not on every call. */
  private readonly statements = new Map<string, StatementSync>();
  /** Deliveries arriving together are recorded, and settled, in one transaction (see GroupCommit). */
  private readonly accepts: GroupCommit<TriggerRequest, boolean>;
  private readonly settles: GroupCommit<string, void>;

  constructor(file: string) {
    this.file = file;
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = ${DEFAULT_SYNCHRONOUS};
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        issue_key TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        record TEXT NOT NULL
      );
      DROP INDEX IF EXISTS one_active_job_per_issue;
      CREATE UNIQUE INDEX IF NOT EXISTS one_active_job_per_issue_v2
        ON jobs (issue_key) WHERE state IN ('queued', 'running', 'waiting_for_human');
      CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
      CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS jobs_by_issue ON jobs (issue_key, created_at);
      CREATE TABLE IF NOT EXISTS inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL,
        item TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS trajectories (
        job_id TEXT PRIMARY KEY,
        repository TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS trajectories_by_repository ON trajectories (repository, started_at);
      CREATE INDEX IF NOT EXISTS trajectories_by_age ON trajectories (updated_at);
    `);
    this.db.exec(OWNER_TABLE);
    // Databases from before the intake stage lack the pending request; nothing else changed.
    const columns = this.db.prepare("PRAGMA table_info(deliveries)").all() as Array<{ name: string }>;
    if (!columns.some((column) => column.name === "request")) {
      this.db.exec("ALTER TABLE deliveries ADD COLUMN request TEXT");
    }
    this.db
      .prepare("DELETE FROM deliveries WHERE seen_at < ? AND request IS NULL")
      .run(new Date(Date.now() - DELIVERY_RETENTION_DAYS * 86_400_000).toISOString());
    this.accepts = new GroupCommit(
      this.db,
      (request) =>
        this.sql("INSERT OR IGNORE INTO deliveries (id, seen_at, request) VALUES (?, ?, ?)").run(
          request.trigger.deliveryId,
          request.receivedAt,
          JSON.stringify(request),
        ).changes === 1,
      // The record behind an acknowledgement: on disk before GitHub hears "received".
      { durable: true },
    );
    this.settles = new GroupCommit(this.db, (deliveryId) => {
      this.sql("UPDATE deliveries SET request = NULL WHERE id = ?").run(deliveryId);
    });
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  async createUnlessActive(job: Job) {
    try {
      this.sql(
        "INSERT INTO jobs (id, issue_key, state, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(job.id, issueKey(job.trigger), job.state, job.createdAt, job.updatedAt, JSON.stringify(job));
      return { created: true as const, job };
    } catch (error) {
      if (!String((error as Error).message).includes("UNIQUE constraint failed")) throw error;
      const active = this.sql(
        "SELECT record FROM jobs WHERE issue_key = ? AND state IN ('queued', 'running', 'waiting_for_human')",
      ).get(issueKey(job.trigger)) as { record: string } | undefined;
      if (!active) throw error;
      return { created: false as const, active: JSON.parse(active.record) as Job };
    }
  }

  async get(id: string) {
    const row = this.sql("SELECT record FROM jobs WHERE id = ?").get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as Job) : undefined;
  }

  async save(job: Job) {
    this.sql("UPDATE jobs SET state = ?, updated_at = ?, record = ? WHERE id = ?").run(
      job.state,
      job.updatedAt,
      JSON.stringify(job),
      job.id,
    );
  }

  async parkUnlessAnswered(job: Job, since: string, kinds: ReadonlyArray<InboxItem["kind"]>) {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const rows = this.sql("SELECT item FROM inbox WHERE job_id = ?").all(job.id) as Array<{
        item: string;
      }>;
      const answered = rows.some((row) => answersPause(JSON.parse(row.item) as InboxItem, since, kinds));
      // Synchronous from check to commit: nothing else touches the database in between.
      if (!answered)
        this.sql("UPDATE jobs SET state = ?, updated_at = ?, record = ? WHERE id = ?").run(
          job.state,
          job.updatedAt,
          JSON.stringify(job),
          job.id,
        );
      this.db.exec("COMMIT");
      return !answered;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async listActive() {
    const rows = this.sql(
      "SELECT record FROM jobs WHERE state IN ('queued', 'running', 'waiting_for_human') ORDER BY created_at",
    ).all() as Array<{ record: string }>;
    return rows.map((row) => JSON.parse(row.record) as Job);
  }

  accept(request: TriggerRequest): Promise<boolean> {
    return this.accepts.submit(request);
  }

  settle(deliveryId: string): Promise<void> {
    return this.settles.submit(deliveryId);
  }

  async unsettled(receivedBefore: Date): Promise<TriggerRequest[]> {
    const rows = this.sql(
      "SELECT request FROM deliveries WHERE request IS NOT NULL AND seen_at < ? ORDER BY seen_at",
    ).all(receivedBefore.toISOString()) as Array<{ request: string }>;
    return rows.map((row) => JSON.parse(row.request) as TriggerRequest);
  }

  async latestForIssue(issue: Pick<Job["trigger"], "owner" | "repo" | "issueNumber">) {
    const row = this.sql(
      "SELECT record FROM jobs WHERE issue_key = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
    ).get(issueKey(issue)) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as Job) : undefined;
  }

  async post(jobId: string, item: InboxItem): Promise<void> {
    this.sql("INSERT INTO inbox (job_id, item) VALUES (?, ?)").run(jobId, JSON.stringify(item));
  }

  async take(jobId: string): Promise<InboxItem[]> {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const rows = this.sql("SELECT seq, item FROM inbox WHERE job_id = ? ORDER BY seq").all(jobId) as Array<{
        seq: number;
        item: string;
      }>;
      if (rows.length > 0) {
        this.sql("DELETE FROM inbox WHERE job_id = ? AND seq <= ?").run(jobId, rows.at(-1)!.seq);
      }
      this.db.exec("COMMIT");
      return rows.map((row) => JSON.parse(row.item) as InboxItem);
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Makes this process the file's only user (see claimLease) and keeps the claim alive; throws a
   * ConfigError naming the other process when it is taken. `onLost` hears of a takeover.
   */
  claimOwnership(
    owner: Owner = { pid: process.pid, host: os.hostname() },
    now = new Date(),
    isAlive: (pid: number) => boolean = processAlive,
    onLost?: () => void,
  ): void {
    claimLease(this.db, this.file, { ...owner, token: this.ownerToken }, now, isAlive);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (!renewLease(this.db, this.ownerToken, new Date())) onLost?.();
    }, LEASE_MS / 3).unref();
  }

  /** Gives the file up (shutdown), so the next process can start at once. */
  releaseOwnership(): void {
    clearInterval(this.heartbeat);
    if (this.db.isOpen) releaseLease(this.db, this.ownerToken);
  }

  async saveTrajectory(trajectory: Trajectory): Promise<void> {
    this.sql(
      `INSERT INTO trajectories (job_id, repository, started_at, updated_at, record) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO UPDATE SET updated_at = excluded.updated_at, record = excluded.record`,
    ).run(
      trajectory.jobId,
      trajectory.repository,
      trajectory.startedAt,
      trajectory.updatedAt,
      JSON.stringify(trajectory),
    );
  }

  async getTrajectory(jobId: string): Promise<Trajectory | undefined> {
    const row = this.sql("SELECT record FROM trajectories WHERE job_id = ?").get(jobId) as
      { record: string } | undefined;
    return row ? (JSON.parse(row.record) as Trajectory) : undefined;
  }

  async recentTrajectories(repository: string, limit: number) {
    const rows = this.sql(
      "SELECT record FROM trajectories WHERE repository = ? ORDER BY started_at DESC LIMIT ?",
    ).all(repository.toLowerCase(), limit) as Array<{ record: string }>;
    return rows.map((row) => summaryOf(JSON.parse(row.record) as Trajectory));
  }

  async pruneTrajectories(before: Date): Promise<number> {
    const result = this.sql("DELETE FROM trajectories WHERE updated_at < ?").run(before.toISOString());
    return Number(result.changes);
  }

  close(): void {
    this.releaseOwnership();
    this.db.close();
  }
}
