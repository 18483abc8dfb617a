import { describe, expect, it } from "vitest";
import { costOf, priceFor } from "../../src/agent/pricing.ts";
import { formatCost } from "../../src/report/format-cost.ts";
import { loadSettings } from "../../src/settings.ts";

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

  it("knows the price of the default model and of OpenAI's current models", () => {
    const defaultModel = loadSettings({}).ISSUE_AGENT_MODEL;
    expect(priceFor(defaultModel)).toBeDefined();
    expect(priceFor("gpt-5.1")).toEqual({
      inputPerMillion: 1.25,
      cachedInputPerMillion: 0.125,
      outputPerMillion: 10,
    });
    expect(priceFor("gpt-5.5")).toEqual({
      inputPerMillion: 5,
      cachedInputPerMillion: 0.5,
      outputPerMillion: 30,
    });
    expect(priceFor("gpt-6-luna")).toEqual({
      inputPerMillion: 0.1,
      cachedInputPerMillion: 0.01,
      outputPerMillion: 0.5,
    });
    expect(priceFor("gpt-5.4-mini-2026-03-17")).toEqual(priceFor("gpt-5.4-mini"));
  });

  it("prices the operator's models from the environment, below the repository's override", () => {
    const operator = loadSettings({
      ISSUE_AGENT_MODEL_PRICES: "qwen2.5-coder:32b=0.2/0.6,gpt-5.1=1/2/3",
    }).ISSUE_AGENT_MODEL_PRICES;
    expect(priceFor("qwen2.5-coder:32b", undefined, operator)).toEqual({
      inputPerMillion: 0.2,
      outputPerMillion: 0.6,
    });
    // An operator's negotiated price beats the list price; a repository's own price beats both.
    expect(priceFor("gpt-5.1", undefined, operator)).toEqual({
      inputPerMillion: 1,
      cachedInputPerMillion: 2,
      outputPerMillion: 3,
    });
    const override = { inputPerMillion: 9, outputPerMillion: 9 };
    expect(priceFor("qwen2.5-coder:32b", override, operator)).toBe(override);
    expect(priceFor("constructor", undefined, operator)).toBeUndefined();
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
