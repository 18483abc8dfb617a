import { describe, expect, it } from "vitest";
import { costOf, formatCost, priceFor } from "../../src/agent/pricing.ts";

describe("model prices", () => {
  it("uses the repository's override, then the table, then the undated name of a snapshot", () => {
    const override = { inputPerMillion: 1, outputPerMillion: 2 };
    expect(priceFor("gpt-4.1", override)).toBe(override);
    expect(priceFor("gpt-4.1")).toEqual({
      inputPerMillion: 2,
      cachedInputPerMillion: 0.5,
      outputPerMillion: 8,
    });
    expect(priceFor("gpt-4.1-2025-04-14")).toEqual(priceFor("gpt-4.1"));
    expect(priceFor("llama-3-70b")).toBeUndefined();
  });

  it("charges cached prompt tokens at the cached rate, or at the input rate when there is none", () => {
    const usage = { promptTokens: 1_000_000, cachedPromptTokens: 400_000, completionTokens: 100_000 };
    expect(
      costOf(usage, { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 }),
    ).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8, 10);
    expect(costOf(usage, { inputPerMillion: 2, outputPerMillion: 8 })).toBeCloseTo(2 + 0.8, 10);
  });

  it("says when the cost is unknown instead of showing zero", () => {
    expect(formatCost(undefined)).toContain("cost unknown");
    expect(formatCost(0.00063)).toBe("$0.0006");
    expect(formatCost(12.345)).toBe("$12.35");
  });
});
