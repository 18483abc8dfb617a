import { describe, expect, it } from "vitest";
import { MemoryDeliveryLog } from "../../src/triggers/delivery-log.ts";

describe("MemoryDeliveryLog", () => {
  it("recognizes a repeat and forgets the oldest ids beyond its capacity", async () => {
    const log = new MemoryDeliveryLog(2);
    expect(await log.firstSighting("a")).toBe(true);
    expect(await log.firstSighting("a")).toBe(false);
    expect(await log.firstSighting("b")).toBe(true);
    expect(await log.firstSighting("c")).toBe(true);
    expect(await log.firstSighting("b")).toBe(false);
    expect(await log.firstSighting("a")).toBe(true);
  });
});
