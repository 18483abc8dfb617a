import { describe, expect, it } from "vitest";
import { MemoryDeliveryLog } from "../../src/triggers/delivery-log.ts";

describe("MemoryDeliveryLog", () => {
  it("recognizes a repeat and forgets the oldest ids beyond its capacity", () => {
    const log = new MemoryDeliveryLog(2);
    expect(log.firstSighting("a")).toBe(true);
    expect(log.firstSighting("a")).toBe(false);
    expect(log.firstSighting("b")).toBe(true);
    expect(log.firstSighting("c")).toBe(true);
    expect(log.firstSighting("b")).toBe(false);
    expect(log.firstSighting("a")).toBe(true);
  });
});
