import { describe, expect, it } from "vitest";
import { formatDuration } from "../src/format-duration.ts";

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [8_400, "8 s"],
    [60_000, "1 min"],
    [190_000, "3 min 10 s"],
    [3_600_000, "1 h"],
    [3_900_000, "1 h 5 min"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
