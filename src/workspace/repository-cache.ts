import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { openGit } from "../git.ts";
import { succeeded } from "../succeeded.ts";

export interface CachedRepository {
  /** The bare mirror; job clones borrow its objects, so it must stay while they live. */
  path: string;
  release(): void;
}

/** How long after a job releases the cache its budget is checked (see checkBudgetSoon). */
const BUDGET_CHECK_DELAY_MS = 3_000;
/** Idle working trees kept per repository, ready for the next job (see keepTree). */
const TREES_PER_REPOSITORY = 2;
/** Beside the mirror, not in it: the sandbox mounts the mirror, and must not see other trees. */
const treesOf = (mirror: string) => mirror.replace(/\.git$/, ".trees");
/** The repository's package-manager caches (see dependency-cache.ts), beside its mirror. */
export const dependencyCacheOf = (mirror: string) => mirror.replace(/\.git$/, ".deps");
/** The sanitized objects the sandbox's git view borrows (see sandbox-git-view.ts), beside its mirror. */
export const viewStoreOf = (mirror: string) => mirror.replace(/\.git$/, ".view");

/**
 * One bare mirror per repository, updated with `git fetch` before each job, so a job's clone is a
 * local `--shared` clone that copies no objects. Package-manager caches are kept beside it, so setup
 * installs from disk after the first job. Working trees of finished jobs can be kept beside
 * the mirror, so the next job resets one instead of checking out every file again. The cache stays
 * within a disk budget by evicting the least recently used mirrors (with their trees) that no
 * running job uses, checked a moment after jobs release their mirrors.
 */
export class RepositoryCache {
  private readonly root: string;
  private readonly maxBytes: number;
  private readonly budgetCheckDelayMs: number;
  private readonly inUse = new Map<string, number>();
  private readonly updates = new Map<string, Promise<void>>();
  private budgetCheck: NodeJS.Timeout | undefined;
  private rootMadePrivate: Promise<void> | undefined;

  constructor(root: string, maxBytes: number, options: { budgetCheckDelayMs?: number } = {}) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.budgetCheckDelayMs = options.budgetCheckDelayMs ?? BUDGET_CHECK_DELAY_MS;
  }

  async acquire(cloneUrl: string, gitEnv: Record<string, string>): Promise<CachedRepository> {
    const mirror = path.join(this.root, `${mirrorName(cloneUrl)}.git`);
    this.inUse.set(mirror, (this.inUse.get(mirror) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inUse.set(mirror, (this.inUse.get(mirror) ?? 1) - 1);
      this.checkBudgetSoon();
    };
    try {
      await (this.rootMadePrivate ??= makePrivate(this.root).catch((error: unknown) => {
        this.rootMadePrivate = undefined;
        throw error;
      }));
      // One update per mirror at a time; concurrent jobs on a repository share it.
      const previous = this.updates.get(mirror) ?? Promise.resolve();
      const update = previous.catch(() => undefined).then(() => this.update(mirror, cloneUrl, gitEnv));
      this.updates.set(mirror, update);
      await update;
      await touch(path.join(mirror, "issue-agent-last-used"));
      return { path: mirror, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Moves an idle working tree of this mirror to `destination`; false when there is none. Each
   * tree is taken by one job at most: the rename is atomic.
   */
  async takeTree(mirror: string, destination: string): Promise<boolean> {
    const pool = treesOf(mirror);
    for (const name of await readdir(pool).catch(() => [] as string[])) {
      if (await succeeded(rename(path.join(pool, name), destination))) return true;
    }
    return false;
  }

  /**
   * Keeps a finished job's working tree for the next job on the repository, if there is room;
   * false when the caller should delete it. Only trees whose `.git` the job's commands could not
   * write may be kept (the sandbox mounts it read-only): the app runs git in them again.
   */
  async keepTree(mirror: string, tree: string): Promise<boolean> {
    const pool = treesOf(mirror);
    const idle = await readdir(pool).catch(() => [] as string[]);
    if (idle.length >= TREES_PER_REPOSITORY) return false;
    // The app's alone, like the cache's root: a kept tree holds what the job's commands left
    // there, set-user-ID bits and all (git restores contents, not such modes).
    await mkdir(pool, { recursive: true, mode: 0o700 });
    await chmod(pool, 0o700);
    return succeeded(rename(tree, path.join(pool, randomBytes(6).toString("hex"))));
  }

  private async update(mirror: string, cloneUrl: string, gitEnv: Record<string, string>): Promise<void> {
    const exists = await succeeded(stat(path.join(mirror, "HEAD")));
    if (exists) {
      // The refspec is given here, not kept in the mirror's config: a bare clone keeps none, and
      // writing one would cost the first job a git process in sequence.
      await openGit(mirror, gitEnv).raw([
        "fetch",
        "--prune",
        "--quiet",
        "origin",
        "+refs/heads/*:refs/heads/*",
      ]);
      return;
    }
    // Made again if something removed it since (a /tmp cleaner), as private as makePrivate makes it.
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await rm(mirror, { recursive: true, force: true });
    await openGit(this.root, gitEnv).raw(["clone", "--bare", "--quiet", "--no-tags", cloneUrl, mirror]);
  }

  /**
   * The budget is checked once a job is done with the cache (its mirror fetched, its tree kept,
   * its packages cached), and a moment later: the next job in a queue starts right after, and
   * measuring the cache walks every file in it (`du` over a kept tree's 5,000 files: about 30 ms
   * on the machine's other core), which made that job's start about 25 ms slower in the bench.
   * Jobs done within that moment share one check.
   */
  private checkBudgetSoon(): void {
    if (this.budgetCheck) return;
    this.budgetCheck = setTimeout(() => {
      this.budgetCheck = undefined;
      void this.evict().catch(() => undefined);
    }, this.budgetCheckDelayMs);
    // A check still waiting when the app stops is made after the next job instead.
    this.budgetCheck.unref();
  }

  /** Removes least recently used mirrors, never one in use, until the cache fits its budget. */
  async evict(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const mirrors = await Promise.all(
      names
        .filter((name) => name.endsWith(".git"))
        .map(async (name) => {
          const full = path.join(this.root, name);
          const used = await stat(path.join(full, "issue-agent-last-used")).then(
            (s) => s.mtimeMs,
            () => 0,
          );
          const parts = [full, treesOf(full), dependencyCacheOf(full), viewStoreOf(full)];
          return { path: full, used, bytes: await bytesOf(parts) };
        }),
    );
    let total = mirrors.reduce((sum, m) => sum + m.bytes, 0);
    const evicted: string[] = [];
    for (const mirror of mirrors.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes) break;
      if ((this.inUse.get(mirror.path) ?? 0) > 0) continue;
      await rm(treesOf(mirror.path), { recursive: true, force: true });
      await rm(dependencyCacheOf(mirror.path), { recursive: true, force: true });
      await rm(viewStoreOf(mirror.path), { recursive: true, force: true });
      await rm(mirror.path, { recursive: true, force: true });
      total -= mirror.bytes;
      evicted.push(mirror.path);
    }
    return evicted;
  }
}

/** A readable, collision-free directory name for a repository URL. */
export function mirrorName(cloneUrl: string): string {
  const base = cloneUrl
    .replace(/\.git$/, "")
    .split(/[/:]/)
    .filter(Boolean)
    .slice(-2)
    .join("-")
    .replace(/[^\w.-]+/g, "_");
  const hash = createHash("sha256").update(cloneUrl).digest("hex").slice(0, 12);
  return `${base}-${hash}`;
}

/**
 * The cache's root made (or set) so only the app's user may enter it: commands write the
 * repositories' package caches under it as the app's user (root's, when it runs as root) and may
 * leave a set-user-ID program there, or open a directory of theirs to everyone. A directory the
 * app does not own, or a shared one like /tmp (sticky), is left as it is.
 */
async function makePrivate(root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const stats = await stat(root);
  const sticky = (stats.mode & 0o1000) !== 0;
  if (stats.uid === process.getuid?.() && !sticky && (stats.mode & 0o077) !== 0) await chmod(root, 0o700);
}

async function touch(file: string): Promise<void> {
  const now = new Date();
  await writeFile(file, "").catch(() => undefined);
  await utimes(file, now, now).catch(() => undefined);
}

/**
 * What the directories hold, in bytes: measured by `du` (coreutils) in a process of its own,
 * because walking the trees and package caches here costs the event loop a callback per file
 * (about 0.15 s for one 5,000-file tree), and the walk runs as the next job starts. Missing
 * directories count 0.
 */
async function bytesOf(dirs: string[]): Promise<number> {
  // In the C locale du says "total" whatever the host's language.
  const { stdout, stderr } = await execa("du", ["-s", "-c", "-b", "--", ...dirs], {
    reject: false,
    env: { LC_ALL: "C" },
  });
  const total = /^(\d+)\s+total$/.exec(stdout.trimEnd().split("\n").at(-1) ?? "");
  if (!total) throw new Error(`du gave no total: ${stderr}`);
  return Number(total[1]);
}
