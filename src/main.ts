import { createProbot, run } from "probot";
import { createIssueAgent } from "./app.ts";
import { ConfigError, UserFacingError } from "./errors.ts";
import { loadDotEnv } from "./load-env.ts";
import { SmeeChannelClient } from "./server/offline-smee-client.ts";
import { createProbotLog } from "./server/probot-log.ts";
import { checkPrivateKeyPath } from "./server/private-key-path.ts";
import { probeGitHub } from "./server/probe-github.ts";
import { PROBOT_WEBHOOK_PATH, unsafeWebhookSecret } from "./server/webhook-endpoint.ts";
import { loadSettings, withoutProbotRedis } from "./settings.ts";

// `npm start`: the Probot server. Without APP_ID/PRIVATE_KEY, Probot serves its setup page that
// registers the GitHub App from app.yml (the manifest flow) and writes the credentials to .env.
try {
  // Before anything reads the environment: Probot applies .env only inside run(), after the
  // options below are taken.
  loadDotEnv();
  checkPrivateKeyPath(process.env);
  // Without credentials Probot serves its setup page; with them, the app itself.
  const configured = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
  // Out of setup mode, webhooks need a secret of the app's own.
  const unsafeSecret = configured ? unsafeWebhookSecret(process.env) : undefined;
  if (unsafeSecret) {
    throw new ConfigError(
      unsafeSecret,
      "Set WEBHOOK_SECRET to the secret on the GitHub App's settings page (General → Webhook secret), in .env or the environment.",
    );
  }
  const agent = createIssueAgent({});
  const log = await createProbotLog(process.env);
  const server = await run(agent.app, {
    SmeeClient: SmeeChannelClient,
    // The app serves WEBHOOK_PATH itself (see webhookEndpoint); Probot's route, which its server
    // would put first, moves out of the way.
    env: { ...withoutProbotRedis(process.env), WEBHOOK_PATH: PROBOT_WEBHOOK_PATH },
    log,
  } as Parameters<typeof run>[1]);
  // Out of setup mode: say within seconds whether GitHub can be reached with these credentials.
  if (configured) {
    const app = createProbot({ env: withoutProbotRedis(process.env), overrides: { log } });
    void probeGitHub(app, process.env.GHE_HOST || "api.github.com").then(({ level, message }) =>
      log[level](message),
    );
  }
  // Graceful shutdown: stop taking webhooks and jobs, give running jobs a grace period, exit.
  // Whatever still runs is resumed from its safe point when the app starts again.
  process.once("SIGTERM", () => {
    void (async () => {
      await agent.shutdown(loadSettings().ISSUE_AGENT_SHUTDOWN_GRACE_SECONDS * 1_000);
      await server.stop();
      process.exit(0);
    })();
  });
} catch (error) {
  if (error instanceof UserFacingError) {
    console.error(`issue-agent cannot start: ${error.message}${error.hint ? `\n${error.hint}` : ""}`);
  } else {
    console.error(`issue-agent cannot start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
