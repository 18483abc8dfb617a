import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { judgeCommand } from "../../../src/guardrails/commands/judge-command.ts";
import { ORDINARY_COMMANDS } from "../../fixtures/ordinary-commands.ts";

// The same table `npm run bench -- redteam` runs in the sandbox: a policy that refuses ordinary work
// (`cat adapter.ts` refused as `apt`) fails here.
describe("ordinary developer commands under the default policy", () => {
  const policy = parseAgentConfig(undefined).commands;

  it("has at least 50 of them", () => {
    expect(ORDINARY_COMMANDS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(ORDINARY_COMMANDS)("allows %j", async (command) => {
    await expect(judgeCommand(command, policy)).resolves.toEqual({ decision: "allow" });
  });
});
