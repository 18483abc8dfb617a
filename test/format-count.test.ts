import { describe, expect, it } from "vitest";
import { formatCount } from "../src/format-count.ts";

describe("formatCount", () => {
  it("says one in the singular and any other count in the plural", () => {
    expect([0, 1, 2].map((count) => formatCount(count, "model call"))).toEqual([
      "0 model calls",
      "1 model call",
      "2 model calls",
    ]);
  });
});
