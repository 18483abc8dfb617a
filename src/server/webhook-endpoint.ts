import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware, Webhooks } from "@octokit/webhooks";

/** Where GitHub sends deliveries unless `WEBHOOK_PATH` says otherwise (Probot's default too). */
const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
/** Probot's webhook secret when `WEBHOOK_SECRET` is unset; the endpoint must agree with Probot. */
const PROBOT_DEFAULT_SECRET = "development";

/**
 * Why the app must not take webhooks with these settings, if it must not. Without a secret of its
 * own, Probot (and this endpoint) check signatures against the public default: anyone who can
 * reach the server could send a correctly signed `/agent` comment in a maintainer's name, and the
 * job page's session cookies, sealed with the same secret by default, could be forged.
 */
export function unsafeWebhookSecret(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.WEBHOOK_SECRET;
  if (secret && secret !== PROBOT_DEFAULT_SECRET) return undefined;
  return secret
    ? `WEBHOOK_SECRET is Probot's public default ("${PROBOT_DEFAULT_SECRET}"), so anyone could sign a webhook for this app`
    : `WEBHOOK_SECRET is not set, so webhooks would be checked against Probot's public default secret ("${PROBOT_DEFAULT_SECRET}") and anyone could sign one for this app`;
}

/**
 * Where `npm start` moves Probot's own webhook route, so that the public path reaches
 * `webhookEndpoint`. Probot's route builds an authenticated Octokit and a Context for every
 * delivery before any handler runs, work the acknowledgement does not need (the receiver records
 * the request and answers; the GitHub calls come later, in the intake). Deliveries that still take
 * Probot's route (its smee client forwards there) reach the same handlers, only more slowly.
 */
export const PROBOT_WEBHOOK_PATH = "/internal/probot/webhooks";

export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

interface EndpointLog {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string | object): void;
}

/**
 * GitHub's door into the app: the signature check, the JSON body and the answer are
 * @octokit/webhooks' (the same statuses and messages as Probot's route); each delivery of the
 * `events` is handed to `receive`, and answered once that resolves.
 */
export function webhookEndpoint(options: {
  env: NodeJS.ProcessEnv;
  events: readonly string[];
  /** `event` is the one of `events` the delivery is (`issues.labeled`). */
  receive: (delivery: Delivery, event: string) => Promise<void>;
  log: EndpointLog;
}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const webhooks = new Webhooks({ secret: options.env.WEBHOOK_SECRET || PROBOT_DEFAULT_SECRET });
  for (const event of options.events) {
    webhooks.on(event as Parameters<typeof webhooks.on>[0], ({ id, name, payload }) =>
      options.receive({ id, name, payload }, event),
    );
  }
  const { log } = options;
  return createNodeMiddleware(webhooks, {
    path: options.env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH,
    // Each method passed on by name: a pino logger's methods are its prototype's, not its own.
    log: {
      debug: (message) => log.debug(message),
      info: (message) => log.info(message),
      warn: (message) => log.warn(message),
      error: (failure) => logFailure(log, failure),
    },
  });
}

/**
 * @octokit/webhooks logs every request it refuses as an AggregateError with its stack: about 40
 * lines for a wrong signature, which anyone who can reach the server can send. A refused request
 * (its answer a 4xx) is one warning line; a receiver that failed keeps its error whole.
 */
function logFailure(log: EndpointLog, failure: string | object): void {
  const errors = failure instanceof AggregateError ? (failure.errors as unknown[]) : [failure];
  const first = errors[0] as { status?: unknown; message?: unknown } | undefined;
  if (typeof first?.status === "number" && first.status < 500) {
    log.warn(`webhook refused (${first.status}): ${String(first.message)}`);
    return;
  }
  log.error(errors.length === 1 && typeof errors[0] === "object" && errors[0] ? errors[0] : failure);
}
