import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { AnswerFirst } from "../../src/server/answer-first.ts";

describe("AnswerFirst", () => {
  it("gives work its turn at once when no webhook is arriving", async () => {
    const started = performance.now();
    await new AnswerFirst({ quietMs: 200 }).turn();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("gives work its turn a quarter of the quiet after a webhook that came alone", async () => {
    const traffic = new AnswerFirst({ quietMs: 2_000 });
    traffic.arrived();
    const started = performance.now();
    await traffic.turn();
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("holds work for the whole quiet when a second webhook follows the first", async () => {
    const traffic = new AnswerFirst({ quietMs: 400 });
    traffic.arrived();
    const started = performance.now();
    const turn = traffic.turn();
    await sleep(50);
    traffic.arrived();
    await turn;
    expect(performance.now() - started).toBeGreaterThanOrEqual(440);
  });

  it("holds work while webhooks keep arriving, then lets it run once they pause", async () => {
    // Arrivals 20 ms apart against 400 ms of quiet: a loaded machine's late timers stay far inside.
    const traffic = new AnswerFirst({ quietMs: 400, maxWaitMs: 10_000 });
    let ran = false;
    traffic.arrived();
    traffic.arrived();
    const turn = traffic.turn().then(() => (ran = true));
    for (let i = 0; i < 5; i += 1) {
      await sleep(20);
      traffic.arrived();
      expect(ran).toBe(false);
    }
    await turn;
    expect(ran).toBe(true);
  });

  it("never holds work longer than its limit, however steady the webhooks", async () => {
    const traffic = new AnswerFirst({ quietMs: 50, maxWaitMs: 150 });
    let arriving = true;
    void (async () => {
      while (arriving) {
        traffic.arrived();
        await sleep(10);
      }
    })();
    await sleep(25);
    const started = performance.now();
    await traffic.turn();
    arriving = false;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("paces long work only until it has waited its budget, or the process is stopping", async () => {
    const traffic = new AnswerFirst({ quietMs: 1_000, maxWaitMs: 60 });
    traffic.arrived();
    traffic.arrived();
    let stopping = false;
    // Whether a call returns at once (before a timer could fire), or waits for a turn.
    const atOnce = (call: Promise<void>) => Promise.race([call.then(() => true), sleep(0).then(() => false)]);
    const pace = traffic.pace({ budgetMs: 100, stop: () => stopping });
    const calls = [pace(), pace()];
    expect(await atOnce(calls[0]!)).toBe(false);
    await Promise.all(calls);
    // Two waits of 60 ms spend the budget: the next call no longer waits, though webhooks still arrive.
    traffic.arrived();
    expect(await atOnce(pace())).toBe(true);
    const fresh = traffic.pace({ budgetMs: 10_000, stop: () => stopping });
    expect(await atOnce(fresh())).toBe(false);
    stopping = true;
    expect(await atOnce(fresh())).toBe(true);
  });
});
