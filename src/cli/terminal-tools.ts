import { createInterface } from "node:readline/promises";
import { GuardrailViolation } from "../guardrails/guardrail-violation.ts";
import type { Tool } from "../agent/tools/tool.ts";
import { describeToolCall } from "./describe-tool-call.ts";
import { markdownForTerminal } from "./markdown-for-terminal.ts";

/**
 * The agent's tools for a local run: each call is shown as one line as it starts (and a refusal
 * by the guardrails as a second), and `ask_question` is answered by the person at the terminal
 * instead of pausing the job for a comment that cannot come.
 */
export function terminalTools(tools: readonly Tool[], print: (line: string) => void): Tool[] {
  return tools.map((tool) => ({
    ...tool,
    ...(tool.name === "ask_question" ? { description: ASK_AT_TERMINAL } : {}),
    run: async (args, context) => {
      print(`  ${context.redact(describeToolCall(tool.name, args as Record<string, unknown>))}`);
      if (tool.name === "ask_question")
        return { output: await askAtTerminal(String((args as { question?: unknown }).question)) };
      try {
        return await tool.run(args, context);
      } catch (error) {
        if (error instanceof GuardrailViolation) {
          const reason = markdownForTerminal(context.redact(error.message));
          print(`    refused by the ${error.rule} rule: ${reason}`);
        }
        throw error;
      }
    },
  }));
}

const ASK_AT_TERMINAL =
  "Ask the person running you one clarifying question when the issue is ambiguous and a wrong guess would need reverting; their answer is this tool's result. Ask only what you cannot find out from the repository.";

async function askAtTerminal(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    return "Nobody can answer during this run. Decide from the issue and the repository, and say what you assumed in the pull request; if it cannot be decided, call give_up.";
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`The agent asks: ${question}\nYour answer: `);
    return `Answer from the maintainer:\n${answer}`;
  } finally {
    prompt.close();
  }
}
