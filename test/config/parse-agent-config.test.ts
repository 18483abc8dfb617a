import { describe, expect, it } from "vitest";
import { intendedLabel, loadRepoConfig, parseYamlConfig } from "../../src/config/load-repo-config.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { ConfigError } from "../../src/errors.ts";

describe("parseAgentConfig", () => {
  it("fills every default when the file is absent or empty: the safe defaults", () => {
    const defaults = parseAgentConfig(undefined);
    expect(defaults).toMatchObject({
      trigger: { label: "agent" },
      agent: { max_steps: 60, max_minutes: 30, max_tokens: 2_000_000 },
      commands: { timeout_seconds: 300, max_output_kb: 64, approval_timeout_minutes: 60 },
      paths: { write: ["**"], read_only: [], require_review: [] },
      gates: { test_first: true, lint: [], max_diff_lines: 500 },
      sandbox: { network: false, allow_unsandboxed: false },
    });
    expect(defaults.commands.allow).toEqual(expect.arrayContaining(["git", "npm", "docker run --rm"]));
    expect(defaults.commands.deny).toEqual(
      expect.arrayContaining(["rm -rf", "sudo", "DROP DATABASE", "curl | bash"]),
    );
    expect(defaults.commands.require_approval).toEqual(expect.arrayContaining(["git push", "npm publish"]));
    expect(defaults.paths.forbidden).toEqual(expect.arrayContaining([".env", "**/*.pem"]));
    expect(defaults.gates.tests.command).toBeUndefined();
    expect(parseAgentConfig(null)).toEqual(defaults);
  });

  it("replaces a list wholesale rather than merging it with the default", () => {
    expect(parseAgentConfig({ commands: { allow: ["make"] } }).commands.allow).toEqual(["make"]);
  });

  it("merges a partial section over the defaults of that section", () => {
    const config = parseAgentConfig({ agent: { max_steps: 5, model: "gpt-x" } });
    expect(config.agent).toEqual({
      model: "gpt-x",
      max_steps: 5,
      max_minutes: 30,
      question_timeout_minutes: 1440,
      max_tokens: 2_000_000,
      context_tokens: 100_000,
    });
    expect(config.commands.timeout_seconds).toBe(300);
  });

  it.each([
    [{ agent: { max_steps: "lots" } }, '`agent.max_steps` — got `"lots"`: Invalid input: expected number'],
    [{ agent: { max_steps: 0 } }, "`agent.max_steps` — got `0`: Too small: expected number to be >=1"],
    [{ commands: { timeout_seconds: 1.5 } }, "`commands.timeout_seconds` — got `1.5`"],
    [{ trigger: { label: "" } }, '`trigger.label` — got `""`'],
    [
      { agnet: {} },
      "unknown key `agnet`; allowed: `trigger`, `instructions`, `setup`, `toolchain`, `agent`, `commands`, `paths`, `gates`, `sandbox`, `ci`, `merge`",
    ],
    [{ gates: { max_diff_lines: 5 } }, "`gates.max_diff_lines` — got `5`: Too small"],
    [{ paths: { write: "src/**" } }, '`paths.write` — got `"src/**"`: Invalid input: expected array'],
    [
      { agent: { steps: 3 } },
      "unknown key `steps` under `agent`; allowed: `model`, `api`, `stream`, `max_steps`, `max_minutes`, `question_timeout_minutes`, `max_tokens`, `context_tokens`, `max_cost_usd`, `price`",
    ],
    [
      { setup: { comands: ["npm ci"] } },
      "unknown key `comands` under `setup`; allowed: `commands`, `timeout_minutes`, `network`",
    ],
    [
      { setup: "npm ci" },
      '`setup` — got `"npm ci"`: expected a list of commands, or a mapping with `commands`, `timeout_minutes`, `network`',
    ],
    [[1, 2], "must be a mapping of keys to values, but it holds `[1,2]`"],
    ["just text", 'must be a mapping of keys to values, but it holds `"just text"`'],
  ])("rejects %j naming the key, the value and what is allowed", (raw, message) => {
    expect(() => parseAgentConfig(raw)).toThrow(ConfigError);
    expect(() => parseAgentConfig(raw)).toThrow(message);
  });
});

describe("loadRepoConfig", () => {
  it("turns a loader failure (invalid YAML) into a ConfigError with a fix", async () => {
    const result = await loadRepoConfig(async () => {
      throw new Error("Configuration could not be parsed (invalid YAML)");
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(
      "could not be read: Configuration could not be parsed (invalid YAML)",
    );
    expect(result.error.hint).toContain("Fix the YAML syntax on the default branch");
  });

  it("says where a local file that is not YAML breaks (the CLI's checkout)", async () => {
    const result = await loadRepoConfig(async () =>
      parseYamlConfig("trigger:\n  label: robot\nagent:\n\tmax_steps: 3\n"),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        message:
          "`.github/agent.yml` is not valid YAML: Tabs are not allowed as indentation at line 4, column 1.",
      },
    });
    if (!result.ok) expect(intendedLabel(result.raw)).toBe("robot");
  });

  it("points a failure that is not the YAML's at what the app could not read", async () => {
    const result = await loadRepoConfig(async () => {
      throw new Error("Resource not accessible by integration");
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.hint).not.toContain("YAML");
    expect(result.error.hint).toContain("Check that the app can read the file on the default branch");
  });
});
