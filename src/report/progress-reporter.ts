import type { CheckConclusion, Forge } from "../forge/forge.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import type { Logger as FullLogger } from "../log.ts";
import type { JobProgress } from "./job-progress.ts";
import { renderCheckOutput, renderStatusComment } from "./render-status.ts";

type Logger = Pick<FullLogger, "warn">;

const NO_CHECK_RUN =
  "⚠️ GitHub did not give the default branch's head commit, so this job has no check run (and no Stop button there); `/agent stop` stops it.";

/**
 * Owns the job's two progress surfaces: one status comment on the issue (created once, then
 * edited) and one check run on the base commit. Updates are serialized; a failed update is logged
 * and never fails the job, because the job's real work matters more than its progress display.
 * For the same reason the job's steps do not wait for them (each is two GitHub writes, a few
 * hundred milliseconds): they stay queued in order, and the job's end (`finish`, a parked job's
 * status) waits for the queue. Nothing is shown before `start` (it shows all that came before):
 * the job reads the issue thread first, and the status comment must not be part of it.
 */
export class ProgressReporter {
  readonly progress: JobProgress;
  private readonly forge: Forge;
  private readonly log: Logger;
  private checkRunId: number | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pendingRefresh: Promise<void> | undefined;
  private started = false;
  private readonly onIds: (ids: { checkRunId?: number; statusCommentId?: number }) => void;

  /**
   * @param existing the check run of an earlier, interrupted attempt of the same job, to reuse
   * @param onIds told the check run's and the status comment's ids, to record them with the job
   */
  constructor(
    forge: Forge,
    progress: JobProgress,
    log: Logger,
    options: {
      existingCheckRunId?: number | undefined;
      onIds?: (ids: { checkRunId?: number; statusCommentId?: number }) => void;
    } = {},
  ) {
    this.forge = forge;
    this.progress = progress;
    this.log = log;
    this.checkRunId = options.existingCheckRunId;
    this.onIds = options.onIds ?? (() => undefined);
  }

  /**
   * Makes (or, after an interruption, updates) the check run on the base commit, and the status
   * comment; shows what came before. Without the base commit (it could not be read), the job goes
   * on without a check run, and the status comment says so and how to stop the job.
   */
  async start(baseSha: Promise<string>): Promise<void> {
    this.started = true;
    await this.enqueue("start", async () => {
      if (this.checkRunId === undefined) {
        const sha = await baseSha.catch((error: unknown) => {
          this.log.warn({ err: error }, "could not read the base commit for the check run");
          this.progress.notes.push(NO_CHECK_RUN);
          return undefined;
        });
        if (sha !== undefined)
          this.checkRunId = await this.forge.createCheckRun(sha, renderCheckOutput(this.progress));
      } else {
        await this.forge.updateCheckRun(this.checkRunId, renderCheckOutput(this.progress));
      }
      const statusCommentId = await this.forge.setStatusComment(renderStatusComment(this.progress));
      this.onIds({ checkRunId: this.checkRunId, statusCommentId });
    });
  }

  phase(text: string): Promise<void> {
    this.progress.phase = text;
    return this.refresh();
  }

  note(text: string): Promise<void> {
    this.progress.notes.push(text);
    return this.refresh();
  }

  /**
   * Shows the current progress. Refreshes asked for while one is waiting are folded into it: each
   * is two GitHub writes, and GitHub throttles writes, so a burst of changes costs one refresh.
   */
  refresh(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.pendingRefresh) return this.pendingRefresh;
    this.pendingRefresh = this.enqueue("update", async () => {
      this.pendingRefresh = undefined;
      await this.forge.setStatusComment(renderStatusComment(this.progress));
      if (this.checkRunId !== undefined) {
        await this.forge.updateCheckRun(this.checkRunId, renderCheckOutput(this.progress));
      }
    });
    return this.pendingRefresh;
  }

  /** Completes the check run and rewrites the status comment; called exactly once, in `finally`. */
  finish(conclusion: CheckConclusion, headline: string, detail: string | undefined): Promise<void> {
    this.progress.final = { conclusion, headline, detail };
    return this.enqueue("finish", async () => {
      await this.forge
        .setStatusComment(renderStatusComment(this.progress))
        .then((statusCommentId) => this.onIds({ statusCommentId }))
        .catch((error: unknown) => {
          this.log.warn({ err: error }, "could not update the status comment");
        });
      if (this.checkRunId !== undefined) {
        await this.forge.completeCheckRun(this.checkRunId, conclusion, renderCheckOutput(this.progress));
      }
    });
  }

  private enqueue(what: string, work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((error: unknown) => {
      this.log.warn({ err: error }, `progress ${what} failed`);
    });
    return this.chain;
  }
}

/**
 * Adds a line to a finished job's status comment (what became of its pull request). The job's run
 * and its progress are gone by then, so the comment is read back from the host and extended; this
 * and ProgressReporter are the only writers of the status comment.
 */
export async function appendToStatusComment(
  host: Pick<RepositoryForge, "readStatusComment" | "editStatusComment">,
  statusCommentId: number,
  line: string,
): Promise<void> {
  const body = await host.readStatusComment(statusCommentId);
  await host.editStatusComment(statusCommentId, `${body}\n\n${line}`);
}
