import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { agentConfigSchema, CONFIG_PATH, type AgentConfig } from "./agent-config.schema.ts";

/** Turns the parsed YAML (or nothing, when the file is absent) into a validated config. */
export function parseAgentConfig(raw: unknown): AgentConfig {
  const input = raw ?? {};
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new ConfigError(
      `\`${CONFIG_PATH}\` must be a mapping of keys to values, but it holds ${describeValue(input)}.`,
      `See the reference in the README; an empty file means "all defaults".`,
    );
  }
  const parsed = agentConfigSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    `\`${CONFIG_PATH}\` is invalid:\n${parsed.error.issues.map(formatIssue).join("\n")}`,
    `Fix the file on the default branch, then label the issue again or comment \`/agent\`.`,
  );
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.length > 0 ? ` under \`${key}\`` : "";
    return `- unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `\`${k}\``).join(", ")}${where}; allowed: ${allowedKeys(issue.path).join(", ")}`;
  }
  const value = "input" in issue ? ` — got ${describeValue(issue.input)}` : "";
  return `- \`${key}\`${value}: ${issue.message}`;
}

function allowedKeys(path: PropertyKey[]): string[] {
  let schema: z.ZodType = agentConfigSchema;
  for (const segment of path) {
    const shape = objectShape(schema);
    const next = shape?.[String(segment)];
    if (!next) return [];
    schema = next;
  }
  return Object.keys(objectShape(schema) ?? {}).map((k) => `\`${k}\``);
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType = schema;
  // Defaults, prefaults and transforms wrap the object; a union (a short form beside the mapping)
  // holds it as one of its options. Unwrap until the object itself.
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else if (current instanceof z.ZodUnion) {
      const option = (current.options as z.ZodType[]).find((candidate) => objectShape(candidate));
      if (!option) return undefined;
      current = option;
    } else {
      break;
    }
  }
  return current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>) : undefined;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return `\`${text.length > 80 ? `${text.slice(0, 77)}...` : text}\``;
}
