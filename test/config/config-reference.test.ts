import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { agentConfigSchema } from "../../src/config/agent-config.schema.ts";

/** Every key of `.github/agent.yml`, e.g. `agent.max_steps`; `setup` (a list or a mapping) and its keys too. */
function leafKeys(schema: Record<string, any>, prefix = ""): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]: [string, any]) => {
    const mapping = value.type === "object" ? value : value.anyOf?.find((o: any) => o.type === "object");
    const nested = mapping ? leafKeys(mapping, `${prefix}${key}.`) : [];
    return value.type === "object" ? nested : [`${prefix}${key}`, ...nested];
  });
}

describe("docs/configuration.md, the .github/agent.yml reference", () => {
  it("has a row for every key of the schema", () => {
    const reference = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    const keys = leafKeys(z.toJSONSchema(agentConfigSchema, { io: "input" }) as Record<string, any>);
    expect(keys).toContain("setup.commands");
    expect(keys.length).toBeGreaterThan(30);
    const missing = keys.filter(
      (key) => !new RegExp(`^\\|\\s*\`${key.replaceAll(".", "\\.")}\`\\s*\\|`, "m").test(reference),
    );
    expect(missing).toEqual([]);
  });
});
