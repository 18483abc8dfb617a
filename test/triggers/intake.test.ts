import { describe, expect, it } from "vitest";
import type { DeliveryLog } from "../../src/triggers/delivery-log.ts";
import { Intake } from "../../src/triggers/intake.ts";
import type { TriggerRequest } from "../../src/triggers/trigger.ts";

const request = (deliveryId: string, issueNumber: number): TriggerRequest => ({
  trigger: {
    kind: "comment",
    deliveryId,
    installationId: 1,
    owner: "octo",
    repo: "repo",
    issueNumber,
    sender: "maintainer",
    instructions: deliveryId,
    commentId: 1,
  },
  labelName: undefined,
  command: { verb: "start", instructions: "" },
  onPullRequest: false,
  receivedAt: "2026-11-23T10:00:00.000Z",
});

/** A delivery log in memory, recording what was settled. */
function memoryLog(unsettled: TriggerRequest[] = []): DeliveryLog & { settled: string[] } {
  const settled: string[] = [];
  return {
    settled,
    accept: async () => true,
    settle: async (id) => void settled.push(id),
    unsettled: async () => unsettled.filter((r) => !settled.includes(r.trigger.deliveryId)),
  };
}

const quietLog = { info() {}, warn() {}, error() {} };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Intake", () => {
  it("handles requests on one issue in arrival order, other issues alongside, and settles each", async () => {
    const events: string[] = [];
    const deliveries = memoryLog();
    const intake = new Intake({
      deliveries,
      log: quietLog,
      handle: async (r) => {
        events.push(`start ${r.trigger.deliveryId}`);
        // The first request on issue 1 is slow; the second must still wait for it.
        await tick(r.trigger.deliveryId === "a1" ? 50 : 5);
        events.push(`end ${r.trigger.deliveryId}`);
      },
    });
    intake.submit(request("a1", 1));
    intake.submit(request("a2", 1));
    intake.submit(request("b1", 2));
    expect(intake.busy).toBe(true);
    await intake.idle();
    expect(events.indexOf("end a1")).toBeLessThan(events.indexOf("start a2"));
    expect(events.indexOf("end b1")).toBeLessThan(events.indexOf("end a1"));
    expect(deliveries.settled.sort()).toEqual(["a1", "a2", "b1"]);
    expect(intake.busy).toBe(false);
  });

  it("retries a request that failed, then settles it; a request that keeps failing is dropped loudly", async () => {
    const errors: string[] = [];
    const attempts = new Map<string, number>();
    const deliveries = memoryLog();
    const intake = new Intake({
      deliveries,
      log: { ...quietLog, error: (_obj, msg) => void errors.push(msg) },
      retryDelaysMs: [1, 1],
      handle: async (r) => {
        const n = (attempts.get(r.trigger.deliveryId) ?? 0) + 1;
        attempts.set(r.trigger.deliveryId, n);
        if (r.trigger.deliveryId === "flaky" && n < 2) throw new Error("GitHub said 502");
        if (r.trigger.deliveryId === "broken") throw new Error("GitHub said 500");
      },
    });
    intake.submit(request("flaky", 1));
    intake.submit(request("broken", 2));
    await intake.idle();
    expect(attempts).toEqual(
      new Map([
        ["flaky", 2],
        ["broken", 3],
      ]),
    );
    expect(deliveries.settled.sort()).toEqual(["broken", "flaky"]);
    expect(errors).toEqual([
      "could not handle the webhook request after retries; dropped (label the issue again to retry)",
    ]);
  });

  it("tells the person who asked when a request is dropped, once, and settles it even if that fails", async () => {
    const told: Array<[string, string]> = [];
    const warnings: string[] = [];
    const deliveries = memoryLog();
    const intake = new Intake({
      deliveries,
      log: { ...quietLog, warn: (_obj, msg) => void warnings.push(msg) },
      retryDelaysMs: [1],
      handle: async (r) => {
        if (r.trigger.deliveryId !== "fine") throw new Error("GitHub said 403");
      },
      onDropped: async (r, error) => {
        told.push([r.trigger.deliveryId, (error as Error).message]);
        if (r.trigger.deliveryId === "locked") throw new Error("cannot comment either");
      },
    });
    for (const [id, issue] of [
      ["fine", 1],
      ["broken", 2],
      ["locked", 3],
    ] as const)
      intake.submit(request(id, issue));
    await intake.idle();
    expect(told.sort()).toEqual([
      ["broken", "GitHub said 403"],
      ["locked", "GitHub said 403"],
    ]);
    expect(warnings).toContain("could not say the request was dropped");
    expect(deliveries.settled.sort()).toEqual(["broken", "fine", "locked"]);
  });

  it("picks up the requests a stopped process left unsettled, once each", async () => {
    const handled: string[] = [];
    const deliveries = memoryLog([request("left-1", 1), request("left-2", 2)]);
    const intake = new Intake({
      deliveries,
      log: quietLog,
      handle: async (r) => {
        handled.push(r.trigger.deliveryId);
        await tick(5);
      },
    });
    intake.submit(request("left-1", 1)); // already being handled when recovery runs
    expect(await intake.recover(new Date())).toBe(2);
    await intake.idle();
    expect(handled.sort()).toEqual(["left-1", "left-2"]);
    expect(await deliveries.unsettled(new Date())).toEqual([]);
  });
});
