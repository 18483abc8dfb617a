import { describe, expect, it } from "vitest";
import { parseAgentCommand } from "../../src/triggers/parse-agent-command.ts";

describe("parseAgentCommand", () => {
  it.each([
    ["/agent", ""],
    ["/agent fix the typo", "fix the typo"],
    ["/agent\nuse zod\nand tests", "use zod\nand tests"],
    ["/agent   spaced  \r\nsecond line\r\n", "spaced\nsecond line"],
    ["  /agent indented", "indented"],
  ])("%j is a command with instructions %j", (body, instructions) => {
    expect(parseAgentCommand(body)).toEqual({ instructions });
  });

  it.each([
    [null],
    [""],
    ["/agents"],
    ["/agentx do"],
    ["please /agent do it"],
    ["> /agent quoted"],
    ["Thanks!\n/agent on the second line"],
  ])("%j is not a command", (body) => {
    expect(parseAgentCommand(body)).toBeUndefined();
  });
});
