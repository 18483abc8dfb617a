import { describe, expect, it } from "vitest";
import { parseAgentCommand } from "../../src/triggers/parse-agent-command.ts";

describe("parseAgentCommand", () => {
  it.each([
    ["/agent", ""],
    ["/agent fix the typo", "fix the typo"],
    ["/agent\nuse zod\nand tests", "use zod\nand tests"],
    ["/agent   spaced  \r\nsecond line\r\n", "spaced\nsecond line"],
    ["  /agent indented words", "indented words"],
    ["\n\n/agent after blank lines", "after blank lines"],
    ["/agent stop using var, please", "stop using var, please"],
    ["/agent refactor\nthe parser into two files", "refactor\nthe parser into two files"],
  ])("%j starts work (or steers) with instructions %j", (body, instructions) => {
    expect(parseAgentCommand(body)).toEqual({ verb: "start", instructions });
  });

  it.each([
    ["/agent stop", "stop"],
    ["/agent STOP", "stop"],
    ["/agent status", "status"],
    ["/agent approve", "approve"],
    ["/agent deny\nthat would drop the table", "deny"],
    ["/agent retry", "retry"],
    ["/agent help", "help"],
  ])("%j is the sub-command %s", (body, verb) => {
    expect(parseAgentCommand(body)).toEqual({ verb });
  });

  it.each([
    ["/agent skip-tests", ""],
    ["/agent Skip-Tests", ""],
    ["/agent skip-tests only the log message changes", "only the log message changes"],
    ["/agent skip-tests\nreword the log line", "reword the log line"],
  ])("%j waives test-first, with instructions %j", (body, instructions) => {
    expect(parseAgentCommand(body)).toEqual({ verb: "skip-tests", instructions });
  });

  it.each([["/agent please skip-tests"], ["/agent skip the tests, none is needed"], ["> /agent skip-tests"]])(
    "%j is no waiver: only the sub-command on the first line waives",
    (body) => {
      expect(parseAgentCommand(body)?.verb).not.toBe("skip-tests");
    },
  );

  it("takes a lone unknown word for a mistyped sub-command", () => {
    expect(parseAgentCommand("/agent cancel")).toEqual({ verb: "unknown", word: "cancel" });
  });

  it.each([
    [null],
    [""],
    ["/agents"],
    ["/agentx do"],
    ["please /agent do it"],
    ["> /agent stop"],
    ["> quoting someone\n/agent stop"],
    ["```\n/agent stop\n```"],
    ["Thanks!\n/agent on the second line"],
  ])("%j is not a command", (body) => {
    expect(parseAgentCommand(body)).toBeUndefined();
  });
});
