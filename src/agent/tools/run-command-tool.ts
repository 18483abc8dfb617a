import { z } from "zod";
import { judgeCommand } from "../../guardrails/commands/judge-command.ts";
import { GuardrailViolation } from "../../guardrails/guardrail-violation.ts";
import { defineTool } from "./tool.ts";

export const runCommandTool = defineTool({
  name: "run_command",
  description:
    "Run a shell command (bash) in the repository root, e.g. to run tests. Commands are checked against the repository's allow/deny lists and run in a sandbox without network access (unless enabled) and without credentials. No interactive input; output is capped (head and tail kept); a command that runs too long is killed with everything it started. Do not commit or push: the harness does that.",
  parameters: z.object({
    command: z.string().min(1).max(10_000),
    timeout_seconds: z
      .int()
      .min(1)
      .optional()
      .describe("Defaults to the repository's configured limit, which is also the maximum."),
  }),
  async run(args, context) {
    const verdict = await judgeCommand(args.command, context.config.commands);
    const subject = context.redact(args.command);
    if (verdict.decision === "deny") {
      throw new GuardrailViolation(verdict.rule, `the command was not run: ${verdict.reason}.`, subject);
    }
    if (verdict.decision === "approve") {
      const answer = await context.clock.paused(context.approvalFor(args.command, verdict.reason));
      if (!answer) {
        return {
          output: "waiting for a maintainer's approval",
          outcome: { kind: "approval", command: args.command, reason: verdict.reason },
        };
      }
      if (answer.decision !== "approved") {
        const reason =
          answer.decision === "denied" ? `@${answer.by} denied it` : "nobody approved it in time";
        throw new GuardrailViolation(
          `approval: ${verdict.rules.join(", ")}`,
          `the command was not run: ${reason}. Find another way or explain in your summary why it is needed.`,
          subject,
        );
      }
    }

    const limitSeconds = context.config.commands.timeout_seconds;
    const timeoutMs = Math.max(
      1_000,
      Math.min((args.timeout_seconds ?? limitSeconds) * 1_000, limitSeconds * 1_000, context.remainingMs()),
    );
    const result = await context.sandbox.run({
      command: args.command,
      cwd: context.workspace,
      timeoutMs,
      maxOutputBytes: context.config.commands.max_output_kb * 1024,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    context.log.commands.push({
      command: subject,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
    });
    const status = result.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)}s and was killed`
      : `exit code ${result.exitCode}`;
    // The marker in the middle of the output says how much was cut; this says how to get at it.
    const cut =
      result.omittedBytes > 0
        ? `\n[output was ${result.omittedBytes} bytes longer than the ${context.config.commands.max_output_kb} KB kept; to see the middle, rerun it piped through grep, or save it with \`> ~/out.txt 2>&1\` (your home persists between commands) and read parts with \`sed -n '100,200p' ~/out.txt\`]`
        : "";
    return { output: `${status}\n${context.redact(result.output) || "(no output)"}${cut}` };
  },
});
