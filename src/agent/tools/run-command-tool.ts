import { z } from "zod";
import { defineTool } from "./tool.ts";

export const runCommandTool = defineTool({
  name: "run_command",
  description:
    "Run a shell command (bash) in the repository root, e.g. to run tests. No interactive input; output is capped (head and tail kept); a command that runs too long is killed with everything it started.",
  parameters: z.object({
    command: z.string().min(1).max(10_000),
    timeout_seconds: z
      .int()
      .min(1)
      .optional()
      .describe("Defaults to the repository's configured limit, which is also the maximum."),
  }),
  async run(args, context) {
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
      command: context.redact(args.command),
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
    });
    const status = result.timedOut
      ? `timed out after ${Math.round(timeoutMs / 1000)}s and was killed`
      : `exit code ${result.exitCode}`;
    return { output: `${status}\n${context.redact(result.output) || "(no output)"}` };
  },
});
