import { z } from "zod";
import { parseModelPrices } from "./agent/parse-model-prices.ts";
import { ConfigError } from "./errors.ts";

/** Variables whose values are the app's credentials: never handed to a command. */
const APP_SECRETS = new Set([
  "OPENAI_API_KEY",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "GITHUB_CLIENT_SECRET",
  "ISSUE_AGENT_SESSION_SECRET",
  "GITHUB_TOKEN",
  "REDIS_URL",
]);

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
  /**
   * Which OpenAI API the app talks to when `.github/agent.yml` does not say: Chat Completions
   * (every OpenAI-compatible server) or Responses (OpenAI's newest models; some servers).
   */
  ISSUE_AGENT_MODEL_API: z.enum(["chat_completions", "responses"]).default("chat_completions"),
  /** Whether model answers are streamed (server-sent events) when `.github/agent.yml` does not say. */
  ISSUE_AGENT_MODEL_STREAM: z.stringbool().default(false),
  /**
   * Prices of models the built-in table does not know (self-hosted, renamed deployments), in USD
   * per million tokens: `model=input/output` or `model=input/cached/output` pairs separated by
   * commas, or a JSON object. A repository's `agent.price` still wins.
   */
  ISSUE_AGENT_MODEL_PRICES: z
    .string()
    .default("")
    .transform((text, ctx) => {
      try {
        return parseModelPrices(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** How many jobs one process runs at the same time. */
  ISSUE_AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /**
   * Names of the app's environment variables that setup commands also get (a proxy, a registry's
   * CA file), comma-separated. Nothing else of the app's environment reaches them; the values are
   * redacted from everything the app writes. The app's own secrets cannot be listed.
   */
  ISSUE_AGENT_SETUP_ENV: z
    .string()
    .default("")
    .transform((names) =>
      names
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .refine((names) => !names.some((name) => APP_SECRETS.has(name)), {
      message: "must not name the app's own secrets (OPENAI_API_KEY, PRIVATE_KEY, WEBHOOK_SECRET, …)",
    }),
  /** Where per-job workspaces are created; each job gets a fresh directory inside it. */
  ISSUE_AGENT_WORKDIR: z.string().optional(),
  /** Per-repository git mirrors that make later jobs start fast; default: <workdir>/cache. */
  ISSUE_AGENT_CACHE_DIR: z.string().optional(),
  /** Disk budget of that cache in megabytes; least recently used mirrors are evicted beyond it. */
  ISSUE_AGENT_CACHE_MAX_MB: z.coerce.number().positive().default(10_240),
  /**
   * Where Node.js versions the repositories declare are kept once fetched from the npm registry,
   * one directory per version, shown read-only to commands; default: <cache dir>/toolchains.
   */
  ISSUE_AGENT_TOOLCHAIN_DIR: z.string().optional(),
  /** The SQLite file that keeps jobs and seen webhook deliveries across restarts. */
  ISSUE_AGENT_DB: z.string().min(1).default(".issue-agent/state.db"),
  /**
   * Redis for scale-out: jobs, deliveries and job inboxes live there and jobs go through BullMQ, so
   * `npm start` only receives webhooks and `npm run worker` processes run the jobs.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /** Key prefix in Redis, so several installations of the app can share one server. */
  ISSUE_AGENT_REDIS_PREFIX: z.string().min(1).default("issue-agent"),
  /** Jobs running at once on one repository, across all workers (Redis mode). */
  ISSUE_AGENT_REPO_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  /** Jobs started per hour for one installation (Redis mode). */
  ISSUE_AGENT_INSTALLATION_JOBS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** How long a dead worker's job stays locked before another worker resumes it (Redis mode). */
  ISSUE_AGENT_LOCK_SECONDS: z.coerce.number().positive().default(60),
  /** Port of a worker's /healthz, /readyz and /metrics (workers receive no webhooks). */
  ISSUE_AGENT_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  /**
   * Serve `/metrics` of `npm start` on this port (all interfaces, or HOST) instead of next to the
   * webhooks, so the public port does not expose it. Unset: on the webhook port.
   */
  ISSUE_AGENT_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /**
   * The app's public base URL (e.g. https://agent.example.com). With it and the App's OAuth
   * credentials (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET), each job gets a page there, linked from its
   * check run, for people signed in with GitHub who may read the repository.
   */
  ISSUE_AGENT_PUBLIC_URL: z.url().optional(),
  /** Days a job's log (its trajectory, shown on the job's page) is kept after its last update. */
  ISSUE_AGENT_LOG_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** On SIGTERM, how long running jobs get before the process exits (they are resumed later). */
  ISSUE_AGENT_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(30),
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

/**
 * The environment as Probot should see it. REDIS_URL belongs to issue-agent's queue; Probot would
 * otherwise use it to cluster its request throttling through Bottleneck, which hangs write
 * requests with the ioredis version BullMQ needs.
 */
export function withoutProbotRedis(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _redisUrl, ...rest } = env;
  return rest;
}

/**
 * Where the host keeps the certificates it trusts: file names, never secrets. Behind a proxy that
 * inspects TLS, a package registry is only reachable with them, so setup always gets them.
 */
const TRUST_VARIABLES = [
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "REQUESTS_CA_BUNDLE",
  "PIP_CERT",
  "CURL_CA_BUNDLE",
  "CARGO_HTTP_CAINFO",
  "npm_config_cafile",
];

/**
 * The variables setup commands get from the app's environment, when set: where the trusted
 * certificates are, and whatever `ISSUE_AGENT_SETUP_ENV` names.
 */
export function setupEnvironment(settings: Settings, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    [...TRUST_VARIABLES, ...settings.ISSUE_AGENT_SETUP_ENV].flatMap((name) => {
      const value = env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
}
