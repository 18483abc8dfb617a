/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  /** Prompt tokens the provider served from its cache; charged at `inputPerMillion` when absent. */
  cachedInputPerMillion?: number;
  outputPerMillion: number;
}

/**
 * List prices of OpenAI's models (USD per million tokens, standard tier, prompts up to 272K tokens)
 * as published on developers.openai.com/api/docs/pricing, read 2026-12. Other endpoints (vLLM,
 * Ollama, Azure deployments with their own names) are priced by the operator
 * (ISSUE_AGENT_MODEL_PRICES) or the repository (`agent.price` in .github/agent.yml).
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-6-sol": { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 10 },
  "gpt-6-luna": { inputPerMillion: 0.1, cachedInputPerMillion: 0.01, outputPerMillion: 0.5 },
  "gpt-5.6-luna": { inputPerMillion: 0.2, cachedInputPerMillion: 0.02, outputPerMillion: 1.2 },
  "gpt-5.5": { inputPerMillion: 5, cachedInputPerMillion: 0.5, outputPerMillion: 30 },
  "gpt-5.4": { inputPerMillion: 2.5, cachedInputPerMillion: 0.25, outputPerMillion: 15 },
  "gpt-5.4-mini": { inputPerMillion: 0.75, cachedInputPerMillion: 0.075, outputPerMillion: 4.5 },
  "gpt-5.4-nano": { inputPerMillion: 0.2, cachedInputPerMillion: 0.02, outputPerMillion: 1.25 },
  "gpt-5.2": { inputPerMillion: 1.75, cachedInputPerMillion: 0.175, outputPerMillion: 14 },
  "gpt-5.1": { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10 },
  "gpt-5": { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10 },
  "gpt-5-mini": { inputPerMillion: 0.25, cachedInputPerMillion: 0.025, outputPerMillion: 2 },
  "gpt-5-nano": { inputPerMillion: 0.05, cachedInputPerMillion: 0.005, outputPerMillion: 0.4 },
  "gpt-4.1": { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, cachedInputPerMillion: 0.1, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, cachedInputPerMillion: 0.025, outputPerMillion: 0.4 },
  "gpt-4o": { inputPerMillion: 2.5, cachedInputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6 },
  o3: { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 },
  "o4-mini": { inputPerMillion: 1.1, cachedInputPerMillion: 0.275, outputPerMillion: 4.4 },
};

/**
 * The price that applies to a model: the repository's override, else the operator's price for it
 * (ISSUE_AGENT_MODEL_PRICES), else the table's entry for the model or for its dated snapshot
 * (`gpt-4.1-2025-04-14` is priced as `gpt-4.1`); undefined when unknown, and then the cost is
 * reported as unknown rather than guessed.
 */
export function priceFor(
  model: string,
  override?: ModelPrice,
  operatorPrices: Readonly<Record<string, ModelPrice>> = {},
): ModelPrice | undefined {
  if (override) return override;
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  for (const table of [operatorPrices, DEFAULT_PRICES]) {
    const price = Object.hasOwn(table, model)
      ? table[model]
      : Object.hasOwn(table, undated)
        ? table[undated]
        : undefined;
    if (price) return price;
  }
  return undefined;
}

/** The cost of one model call's tokens, in US dollars. */
export function costOf(
  usage: { promptTokens: number; cachedPromptTokens: number; completionTokens: number },
  price: ModelPrice,
): number {
  const cached = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const cachedRate = price.cachedInputPerMillion ?? price.inputPerMillion;
  return (
    ((usage.promptTokens - cached) * price.inputPerMillion +
      cached * cachedRate +
      usage.completionTokens * price.outputPerMillion) /
    1_000_000
  );
}
