// Renders the generated parts of docs/configuration.md from the `.github/agent.yml` schema, so the
// reference cannot drift from what the parser accepts. Pure: no file access here.
import { stringify } from "yaml";
import { z } from "zod";
import { agentConfigSchema } from "../src/config/agent-config.schema.ts";
import { parseAgentConfig } from "../src/config/parse-agent-config.ts";

type JsonSchema = {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
};

/** The schema of `.github/agent.yml` as its users write it (inputs, with defaults). */
export function configJsonSchema(): JsonSchema {
  return z.toJSONSchema(agentConfigSchema, { io: "input" }) as JsonSchema;
}

/** Every leaf key of `.github/agent.yml`, e.g. `agent.max_steps`; a key with a short form is a leaf too. */
export function leafKeys(schema: JsonSchema, prefix = ""): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]) => {
    const mapping = objectOf(value);
    const nested = mapping ? leafKeys(mapping, `${prefix}${key}.`) : [];
    return value.type === "object" ? nested : [`${prefix}${key}`, ...nested];
  });
}

/** One section per top-level key: its description and a table of its keys. */
export function renderReferenceTables(schema: JsonSchema): string {
  return Object.entries(schema.properties ?? {})
    .map(([key, value]) => {
      const rows = rowsOf(key, value);
      // A section that is itself one key says what it is in its row, not twice.
      const intro = value.type === "object" ? [value.description ?? "", ""] : [];
      return [
        `### \`${key}\``,
        "",
        ...intro,
        "| Key | Type | Default | Meaning |",
        "| --- | --- | --- | --- |",
        ...rows,
      ].join("\n");
    })
    .join("\n\n");
}

/** Every default, spelled out as a `.github/agent.yml` that changes nothing. */
export function renderDefaultsYaml(): string {
  const defaults = JSON.parse(JSON.stringify(parseAgentConfig({}))) as Record<string, unknown>;
  return [
    "```yaml",
    "# .github/agent.yml — every default spelled out; identical to having no file",
    stringify(defaults, { lineWidth: 0 }).trimEnd(),
    "```",
  ].join("\n");
}

function rowsOf(key: string, value: JsonSchema): string[] {
  const mapping = objectOf(value);
  const own = value.type === "object" ? [] : [row(key, value)];
  const nested = mapping
    ? Object.entries(mapping.properties ?? {}).flatMap(([child, schema]) => rowsOf(`${key}.${child}`, schema))
    : [];
  return [...own, ...nested];
}

function row(key: string, schema: JsonSchema): string {
  return `| \`${key}\` | ${typeOf(schema)} | ${defaultOf(schema)} | ${cell(schema.description ?? "")} |`;
}

function objectOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === "object") return schema;
  return schema.anyOf?.find((option) => option.type === "object");
}

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(", or ");
  if (schema.enum) return `one of ${schema.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  switch (schema.type) {
    case "array":
      return `list of ${schema.items?.type ?? "value"}s${schema.maxItems ? ` (at most ${schema.maxItems})` : ""}`;
    case "object":
      return "mapping";
    case "integer":
    case "number":
      return `${schema.type}${range(schema)}`;
    default:
      return schema.type ?? "any";
  }
}

function range(schema: JsonSchema): string {
  const low =
    schema.exclusiveMinimum !== undefined
      ? `> ${schema.exclusiveMinimum}`
      : schema.minimum !== undefined
        ? `≥ ${schema.minimum}`
        : undefined;
  // zod's `.int()` without a maximum publishes MAX_SAFE_INTEGER, which is no limit a reader needs.
  const high =
    schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
      ? `≤ ${schema.maximum}`
      : undefined;
  const parts = [low, high].filter(Boolean);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function defaultOf(schema: JsonSchema): string {
  const value = schema.default;
  if (value === undefined) return "none";
  if (Array.isArray(value) && value.length > 3)
    return `${value.length} entries ([listed below](#every-default))`;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return "its keys' defaults";
  return `\`${cell(JSON.stringify(value))}\``;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
