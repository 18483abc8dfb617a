/**
 * Webhooks are answered first. Work without a deadline (the intake stage's: config, permission,
 * queueing; each of them GitHub API calls) waits for its `turn()` while webhooks keep arriving, so
 * it does not compete with their acknowledgements for the event loop. A turn comes once no webhook
 * has arrived for `quietMs`, and never later than `maxWaitMs` after it was asked for, so a steady
 * stream of webhooks cannot starve the work. A webhook that came alone (none in the `quietMs`
 * before it, and none in the quarter of it since) is no burst: the work goes then, so a job that
 * one label starts does not wait 20 ms for a quiet that is already there. The quarter tells it
 * from a burst's first webhook, whose followers come within a few milliseconds.
 *
 * Nothing waiting here can be lost: the receiver records each request durably before it answers,
 * and a request never handled (the process stopped while it waited) is picked up by the intake's
 * recovery after a restart.
 */
export class AnswerFirst {
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private lastArrivalAt = Number.NEGATIVE_INFINITY;
  private previousArrivalAt = Number.NEGATIVE_INFINITY;

  constructor(options: { quietMs?: number; maxWaitMs?: number } = {}) {
    this.quietMs = options.quietMs ?? 20;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
  }

  /** A webhook has arrived and is being answered. */
  arrived(): void {
    this.previousArrivalAt = this.lastArrivalAt;
    this.lastArrivalAt = performance.now();
  }

  /**
   * A pace for one long piece of work made of many small starts (a job's git processes, see
   * pacedGit): each call waits for a turn, until the work has waited `budgetMs` in all or `stop()`
   * says so (the process is shutting down); from then on it no longer waits.
   */
  pace(options: { budgetMs: number; stop: () => boolean }): () => Promise<void> {
    let waited = 0;
    return async () => {
      if (waited >= options.budgetMs || options.stop()) return;
      const askedAt = performance.now();
      await this.turn(options.budgetMs - waited);
      waited += performance.now() - askedAt;
    };
  }

  /**
   * Resolves once webhooks have paused (see the class), or after `maxWaitMs` (the class's, or a
   * shorter one); at once when none is arriving, and soon when the last one came alone.
   */
  async turn(maxWaitMs = this.maxWaitMs): Promise<void> {
    const limit = Math.min(maxWaitMs, this.maxWaitMs);
    const askedAt = performance.now();
    for (;;) {
      const now = performance.now();
      const quietFor = now - this.lastArrivalAt;
      const waitedFor = now - askedAt;
      const cameAlone = this.lastArrivalAt - this.previousArrivalAt >= this.quietMs;
      const quietNeeded = cameAlone ? this.quietMs / 4 : this.quietMs;
      if (quietFor >= quietNeeded || waitedFor >= limit) return;
      const wait = Math.min(quietNeeded - quietFor, limit - waitedFor);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(wait))));
    }
  }
}
