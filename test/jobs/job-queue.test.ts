import { describe, expect, it } from "vitest";
import { InProcessQueue } from "../../src/jobs/job-queue.ts";

describe("InProcessQueue", () => {
  it("runs at most `concurrency` jobs at once and reports idle when all are done", async () => {
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    const queue = new InProcessQueue({
      concurrency: 2,
      onError: () => undefined,
      handler: async (id) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        done.push(id);
      },
    });
    for (const id of ["a", "b", "c", "d", "e"]) await queue.enqueue(id);
    await queue.idle();
    expect(peak).toBe(2);
    expect(done.sort()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("survives a crashing handler and reports the crash", async () => {
    const errors: string[] = [];
    const queue = new InProcessQueue({
      concurrency: 1,
      onError: (id) => errors.push(id),
      handler: async (id) => {
        if (id === "bad") throw new Error("boom");
      },
    });
    await queue.enqueue("bad");
    await queue.enqueue("good");
    await queue.close();
    expect(errors).toEqual(["bad"]);
    await expect(queue.enqueue("late")).rejects.toThrow("queue is closed");
  });
});
