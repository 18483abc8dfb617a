import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { agentConfigSchema } from "../../src/config/agent-config.schema.ts";

/** Every leaf key of `.github/agent.yml`, e.g. `agent.max_steps`. */
function leafKeys(schema: Record<string, any>, prefix = ""): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]: [string, any]) =>
    value.type === "object" ? leafKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the README's .github/agent.yml reference", () => {
  it("documents every key of the schema", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const keys = leafKeys(z.toJSONSchema(agentConfigSchema, { io: "input" }) as Record<string, any>);
    expect(keys.length).toBeGreaterThan(5);
    const missing = keys.filter(
      (key) => !new RegExp(`\\|\\s*\`${key.replace(".", "\\.")}\`\\s*\\|`).test(readme),
    );
    expect(missing).toEqual([]);
  });
});
