import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { AnswerFirst } from "../../src/server/answer-first.ts";

describe("AnswerFirst", () => {
  it("gives work its turn at once when no webhook is arriving", async () => {
    const started = performance.now();
    await new AnswerFirst({ quietMs: 200 }).turn();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("holds work while webhooks keep arriving, then lets it run once they pause", async () => {
    const traffic = new AnswerFirst({ quietMs: 40, maxWaitMs: 10_000 });
    let ran = false;
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
    const started = performance.now();
    await traffic.turn();
    arriving = false;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
