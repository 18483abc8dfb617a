import { createInterface } from "node:readline/promises";
import type { ApprovalSource } from "../agent/approval.ts";

/** For local runs: the person at the terminal approves; without a terminal, nothing is approved. */
export function terminalApprovals(print: (line: string) => void): ApprovalSource {
  return async (command) => {
    if (!process.stdin.isTTY) {
      print(`Denied (no terminal to ask): ${command}`);
      return { decision: "denied", by: "issue-agent (no terminal)" };
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(`The agent wants to run:\n  ${command}\nApprove? [y/N] `);
      return { decision: /^y(es)?$/i.test(answer.trim()) ? "approved" : "denied", by: "you" };
    } finally {
      prompt.close();
    }
  };
}
