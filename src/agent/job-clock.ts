/**
 * The agent's wall clock. Time spent waiting for a human (an approval) is not the agent's time,
 * so it is left out of the budget.
 */
export class JobClock {
  private readonly startedAt: number;
  private pausedMs = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.startedAt = now();
  }

  elapsedMs(): number {
    return this.now() - this.startedAt - this.pausedMs;
  }

  async paused<T>(work: Promise<T>): Promise<T> {
    const from = this.now();
    try {
      return await work;
    } finally {
      this.pausedMs += this.now() - from;
    }
  }
}
