import { z } from "zod";
import { ConfigError } from "./errors.ts";

/**
 * Process-wide settings from the environment. Probot reads its own variables (APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, PORT, LOG_LEVEL, GHE_HOST, …); these are the ones issue-agent adds.
 */
const settingsSchema = z.object({
  /** API key for the OpenAI-compatible endpoint. Optional for local servers that need none. */
  OPENAI_API_KEY: z.string().optional(),
  /** Base URL of any OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama. */
  OPENAI_BASE_URL: z.url().optional(),
  /** Model used when `.github/agent.yml` does not name one. */
  ISSUE_AGENT_MODEL: z.string().min(1).default("gpt-5.1"),
  /** How many jobs one process runs at the same time. */
  ISSUE_AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Where per-job workspaces are created; each job gets a fresh directory inside it. */
  ISSUE_AGENT_WORKDIR: z.string().optional(),
  /** The SQLite file that keeps jobs and seen webhook deliveries across restarts. */
  ISSUE_AGENT_DB: z.string().min(1).default(".issue-agent/state.db"),
});

export type Settings = z.infer<typeof settingsSchema>;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid environment:\n${z.prettifyError(parsed.error)}`,
      "Fix the variables above (see .env.example) and restart.",
    );
  }
  return parsed.data;
}
