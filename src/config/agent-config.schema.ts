import { z } from "zod";

/**
 * `.github/agent.yml`: per-repository settings, read from the default branch only, merged over the
 * defaults below. Unknown keys are rejected so a typo never silently falls back to a default.
 * `scripts/write-config-schema.ts` publishes this as JSON Schema in `schema/agent-config.schema.json`.
 */
export const agentConfigSchema = z
  .strictObject({
    trigger: z
      .strictObject({
        label: z
          .string()
          .min(1)
          .max(50)
          .default("agent")
          .describe("Adding this label to an issue starts the agent on it."),
      })
      .prefault({})
      .describe("What starts work. A comment whose first line starts with `/agent` always does."),
    agent: z
      .strictObject({
        model: z
          .string()
          .min(1)
          .optional()
          .describe("Model name; defaults to the app's ISSUE_AGENT_MODEL setting."),
        max_steps: z
          .int()
          .min(1)
          .max(500)
          .default(60)
          .describe("Most model turns one job may take before it stops."),
        max_minutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30)
          .describe("Wall-clock limit for the agent loop, in minutes."),
        max_tokens: z
          .int()
          .min(1_000)
          .default(2_000_000)
          .describe("Most tokens (prompt + completion, summed over all model calls) one job may use."),
      })
      .prefault({})
      .describe("Limits on the agent loop. The harness enforces them; the model is only told."),
    commands: z
      .strictObject({
        timeout_seconds: z
          .int()
          .min(1)
          .max(3_600)
          .default(300)
          .describe("A command still running after this is killed with its whole process tree."),
        max_output_kb: z
          .int()
          .min(1)
          .max(1_024)
          .default(64)
          .describe("Command output kept for the model; the middle is cut, head and tail are kept."),
      })
      .prefault({})
      .describe("How the agent's shell commands run."),
  })
  .describe("issue-agent repository configuration (.github/agent.yml)");

export type AgentConfig = z.infer<typeof agentConfigSchema>;

export const CONFIG_PATH = ".github/agent.yml";
