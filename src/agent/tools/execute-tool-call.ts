import { z } from "zod";
import { GuardrailViolation } from "../../guardrails/guardrail-violation.ts";
import { ToolError, type Tool, type ToolContext, type ToolResult } from "./tool.ts";

/** A result the loop can hand back to the model, and whether the call itself was well-formed. */
export interface ExecutedCall extends ToolResult {
  wellFormed: boolean;
}

/**
 * Runs one tool call from the model. Every failure the model can fix (unknown tool, bad JSON,
 * invalid arguments, a refused path, a tool error) becomes the tool result; it never ends the job.
 * Anything else is a bug or an infrastructure failure and propagates.
 */
export async function executeToolCall(
  tools: readonly Tool[],
  call: { name: string; arguments: string },
  context: ToolContext,
): Promise<ExecutedCall> {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) {
    return {
      wellFormed: false,
      output: `Error: unknown tool "${call.name}". Available tools: ${tools.map((t) => t.name).join(", ")}.`,
    };
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return {
      wellFormed: false,
      output: `Error: the arguments for ${call.name} are not valid JSON (${(error as Error).message}). Send a JSON object.`,
    };
  }
  const parsed = tool.parameters.safeParse(raw);
  if (!parsed.success) {
    return {
      wellFormed: false,
      output: `Error: invalid arguments for ${call.name}:\n${z.prettifyError(parsed.error)}`,
    };
  }
  try {
    return { wellFormed: true, ...(await tool.run(parsed.data, context)) };
  } catch (error) {
    if (error instanceof GuardrailViolation) {
      // Every refusal is counted and listed in the check run, whichever tool hit it.
      context.log.refusals.push({
        rule: error.rule,
        subject: context.redact(error.subject),
        reason: error.message,
      });
      context.log.changed();
      return { wellFormed: true, output: `Refused by the ${error.rule} rule: ${error.message}` };
    }
    if (error instanceof ToolError) return { wellFormed: true, output: `Error: ${error.message}` };
    throw error;
  }
}
