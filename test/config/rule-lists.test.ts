import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  DEFAULT_ALLOW,
  DEFAULT_DENY,
  DEFAULT_FORBIDDEN,
  DEFAULT_REQUIRE_APPROVAL,
  DEFAULT_TEST_EXEMPT,
  DEFAULT_TEST_PATTERNS,
} from "../../src/config/guardrail-defaults.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";

function messageOf(yaml: string): string {
  try {
    parseAgentConfig(parse(yaml));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the config was accepted");
}

describe("rule lists in .github/agent.yml", () => {
  it("adds rules to the defaults with `extend`, keeping every default", () => {
    const config = parseAgentConfig(
      parse(`
commands:
  allow: { extend: [terraform plan] }
  deny: { extend: [terraform destroy] }
  require_approval: { extend: [terraform apply] }
paths:
  read_only: { extend: [vendor/**] }
  forbidden: { extend: [secrets/**] }
  require_review: { extend: [migrations/**] }
gates:
  tests:
    patterns: { extend: ["**/*.check.js"] }
    exempt: { extend: ["*.txt"] }
`),
    );
    expect(config.commands.allow).toEqual([...DEFAULT_ALLOW, "terraform plan"]);
    expect(config.commands.deny).toEqual([...DEFAULT_DENY, "terraform destroy"]);
    expect(config.commands.require_approval).toEqual([...DEFAULT_REQUIRE_APPROVAL, "terraform apply"]);
    expect(config.paths.read_only).toEqual(["vendor/**"]);
    expect(config.paths.forbidden).toEqual([...DEFAULT_FORBIDDEN, "secrets/**"]);
    expect(config.paths.require_review).toEqual(["migrations/**"]);
    expect(config.gates.tests.patterns).toEqual([...DEFAULT_TEST_PATTERNS, "**/*.check.js"]);
    expect(config.gates.tests.exempt).toEqual([...DEFAULT_TEST_EXEMPT, "*.txt"]);
  });

  it.each([
    [
      "commands:\n  deny:\n    - rm -rf\n    - …\n",
      '`commands.deny.1` — got `"…"`: is a placeholder from an example',
    ],
    [
      "paths:\n  forbidden: [.env, '...']\n",
      '`paths.forbidden.1` — got `"..."`: is a placeholder from an example',
    ],
    ["commands:\n  allow: { extend: [git, …] }\n", '`commands.allow.extend.1` — got `"…"`: is a placeholder'],
    ["gates:\n  lint: ['…']\n", '`gates.lint.0` — got `"…"`: is a placeholder'],
  ])("rejects a placeholder entry, naming the key: %j", (yaml, expected) => {
    const message = messageOf(yaml);
    expect(message).toContain(expected);
    expect(message).toContain("`{ extend: [...] }`");
  });

  it("says what a list may be when it is neither a list nor `extend`", () => {
    expect(messageOf("commands:\n  deny: { add: [x] }\n")).toContain(
      '`commands.deny` — got `{"add":["x"]}`: must be a list of rules (replacing the defaults) or `{ extend: [rules] }` (adding to them)',
    );
  });
});
