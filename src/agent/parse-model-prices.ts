import { z } from "zod";
import type { ModelPrice } from "./pricing.ts";

const perMillion = z.number().nonnegative().finite();

/** The JSON form: `{"model": {"input": 0.2, "cached_input": 0.05, "output": 0.6}}` (USD per million tokens). */
const jsonPrices = z.record(
  z.string().min(1),
  z.strictObject({ input: perMillion, cached_input: perMillion.optional(), output: perMillion }),
);

/**
 * Prices of the models an operator serves (vLLM, Ollama, an Azure deployment with its own name) from
 * ISSUE_AGENT_MODEL_PRICES, so their jobs report a cost instead of "cost unknown". Two forms:
 * `model=input/output` or `model=input/cached/output` pairs separated by commas (the model name may
 * contain `/` and `:`, as in `meta-llama/Llama-3.3-70B` or `qwen2.5-coder:32b`), or a JSON object.
 * Throws an Error naming the entry that is wrong.
 */
export function parseModelPrices(text: string): Record<string, ModelPrice> {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith("{")) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`is not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = jsonPrices.safeParse(raw);
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
    return Object.fromEntries(
      Object.entries(parsed.data).map(([model, p]) => [model, toPrice(p.input, p.cached_input, p.output)]),
    );
  }
  const prices: Record<string, ModelPrice> = {};
  for (const entry of trimmed
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf("=");
    const model = entry.slice(0, at).trim();
    const numbers = entry
      .slice(at + 1)
      .split("/")
      .map((n) => (n.trim() === "" ? Number.NaN : Number(n)));
    if (at <= 0 || !model || numbers.length < 2 || numbers.length > 3 || numbers.some((n) => !(n >= 0))) {
      throw new Error(
        `"${entry}" is not \`model=input/output\` or \`model=input/cached/output\` (USD per million tokens)`,
      );
    }
    const [input, cached, output] = numbers.length === 3 ? numbers : [numbers[0], undefined, numbers[1]];
    prices[model] = toPrice(input!, cached, output!);
  }
  return prices;
}

function toPrice(input: number, cached: number | undefined, output: number): ModelPrice {
  return {
    inputPerMillion: input,
    ...(cached === undefined ? {} : { cachedInputPerMillion: cached }),
    outputPerMillion: output,
  };
}
