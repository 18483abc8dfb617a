import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { documentationPages, fencedBlocks } from "./markdown-blocks.ts";

/** The examples meant to be copied as `.github/agent.yml`: YAML blocks whose first line says so. */
const examples = documentationPages().flatMap(([page, text]) =>
  fencedBlocks(text, "yaml")
    .filter((block) => block.startsWith("# .github/agent.yml"))
    .map((block, i) => ({ name: `${page} #${i + 1}`, block })),
);

const defaults = parseAgentConfig({});

type Restated = { key: string; fallback: unknown[]; list: unknown[] };

/** The default lists an example sets, beside the default they replace. */
function restatedLists(config: Record<string, any>, base: Record<string, any>, prefix = ""): Restated[] {
  return Object.entries(config ?? {}).flatMap(([key, value]): Restated[] => {
    const fallback = base?.[key];
    if (Array.isArray(value) && Array.isArray(fallback))
      return [{ key: `${prefix}${key}`, fallback, list: value }];
    if (value && typeof value === "object" && !Array.isArray(value))
      return restatedLists(value, fallback, `${prefix}${key}.`);
    return [];
  });
}

describe("the .github/agent.yml examples in README.md and docs/", () => {
  it("are there: the README's, the typical file and every default", () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining(["README.md #1", "docs/configuration.md #1", "docs/configuration.md #2"]),
    );
  });

  it.each(examples)("$name is accepted by the real config parser, with no elided entries", ({ block }) => {
    expect(block).not.toMatch(/…|\.\.\.(?!\w)/);
    expect(() => parseAgentConfig(parse(block))).not.toThrow();
  });

  it.each(examples)("$name keeps every default entry of the lists it sets", ({ block }) => {
    const lost = restatedLists(parse(block), defaults).flatMap(({ key, fallback, list }) =>
      fallback.filter((entry) => !list.includes(entry)).map((entry) => `${key}: ${String(entry)}`),
    );
    expect(lost).toEqual([]);
  });

  it("the 'every default' file is exactly what no file means", () => {
    const everyDefault = examples.find((e) => e.block.includes("every default spelled out"));
    expect(parseAgentConfig(parse(everyDefault!.block))).toEqual(defaults);
  });
});
