import { parse as parseYaml } from "yaml";
import { ConfigError, describeError, UnusableConfig } from "../errors.ts";
import type { AgentConfig } from "./agent-config.schema.ts";
import { CONFIG_PATH, DEFAULT_TRIGGER_LABEL } from "./agent-config.schema.ts";
import { parseAgentConfig } from "./parse-agent-config.ts";
import { unparsableConfig } from "./unparsable-config.ts";

/**
 * Reads `.github/agent.yml` through a loader that fetches the file from the repository's default
 * branch (Probot's `context.config` on GitHub, the checkout on disk for local runs) and validates it.
 * The raw value is returned with failures so the caller can tell whether a label was meant for us.
 */
export async function loadRepoConfig(
  load: () => Promise<unknown>,
): Promise<{ ok: true; config: AgentConfig } | { ok: false; error: ConfigError; raw: unknown }> {
  let raw: unknown;
  try {
    raw = await load();
  } catch (error) {
    // Already said the way the maintainer should read it (not YAML, an `_extends` base missing).
    if (error instanceof UnusableConfig) return { ok: false, raw: error.raw, error };
    const reason = describeError(error);
    return {
      ok: false,
      raw: undefined,
      error: new ConfigError(
        `\`${CONFIG_PATH}\` could not be read: ${reason}`,
        /invalid YAML|invalid JSON|is not an object/.test(reason)
          ? "Fix the YAML syntax on the default branch, then label the issue again or comment `/agent`."
          : "Check that the app can read the file on the default branch (and any `_extends` base it names), then label the issue again or comment `/agent`.",
      ),
    };
  }
  try {
    return { ok: true, config: parseAgentConfig(raw) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error, raw };
    throw error;
  }
}

/** The label a possibly invalid config meant to use, so a broken file still gets its error shown. */
export function intendedLabel(raw: unknown): string {
  const label = (raw as { trigger?: { label?: unknown } } | undefined)?.trigger?.label;
  return typeof label === "string" ? label : DEFAULT_TRIGGER_LABEL;
}

/** For local runs: the YAML text of the file, or undefined when there is none. */
export function parseYamlConfig(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return parseYaml(text);
  } catch (error) {
    throw unparsableConfig([{ where: `\`${CONFIG_PATH}\``, text }], text) ?? error;
  }
}
