import { describe, expect, it } from "vitest";
import { parseModelPrices } from "../../src/agent/parse-model-prices.ts";
import { loadSettings } from "../../src/settings.ts";

describe("prices of self-hosted models from the environment", () => {
  it.each([
    ["", {}],
    [
      "qwen2.5-coder:32b=0.2/0.05/0.6, meta-llama/Llama-3.3-70B=0.5/1.5",
      {
        "qwen2.5-coder:32b": { inputPerMillion: 0.2, cachedInputPerMillion: 0.05, outputPerMillion: 0.6 },
        "meta-llama/Llama-3.3-70B": { inputPerMillion: 0.5, outputPerMillion: 1.5 },
      },
    ],
    [
      '{"my-deployment": {"input": 2, "cached_input": 0.5, "output": 8}, "local": {"input": 0, "output": 0}}',
      {
        "my-deployment": { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
        local: { inputPerMillion: 0, outputPerMillion: 0 },
      },
    ],
  ])("reads %j", (text, expected) => {
    expect(parseModelPrices(text)).toEqual(expected);
  });

  it.each([
    ["llama=0.5", /"llama=0.5" is not `model=input\/output`/],
    ["llama=a/b", /"llama=a\/b" is not/],
    ["=1/2", /"=1\/2" is not/],
    ["llama=1/2/3/4", /is not/],
    ["llama=-1/2", /is not/],
    ['{"llama": {"input": 1}}', /output/],
    ['{"llama": ', /is not valid JSON/],
  ])("rejects %j with a message that names the entry", (text, message) => {
    expect(() => parseModelPrices(text)).toThrow(message);
  });

  it("fails start-up with the variable's name when the value is wrong", () => {
    expect(() => loadSettings({ ISSUE_AGENT_MODEL_PRICES: "llama=cheap" })).toThrow(
      /ISSUE_AGENT_MODEL_PRICES/,
    );
    expect(loadSettings({ ISSUE_AGENT_MODEL_PRICES: "llama=1/2" }).ISSUE_AGENT_MODEL_PRICES).toEqual({
      llama: { inputPerMillion: 1, outputPerMillion: 2 },
    });
  });
});
