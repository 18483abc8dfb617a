import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnswerFirst } from "../server/answer-first.ts";
import type { Probot } from "probot";
import type { Metrics } from "../server/metrics.ts";
import { webhookEndpoint, type Delivery } from "../server/webhook-endpoint.ts";
import type { DeliveryLog } from "../triggers/delivery-log.ts";
import type { Intake } from "../triggers/intake.ts";
import { receiveWebhook } from "../triggers/receive-webhook.ts";

/** The webhook events that may ask something of the agent, each timed for the metrics. */
const EVENTS = [
  "issues.labeled",
  "issue_comment.created",
  "check_run.rerequested",
  "check_run.requested_action",
  "pull_request_review.submitted",
  "pull_request.closed",
  "check_suite.completed",
] as const;

/**
 * Every delivery of those events goes to `receiveWebhook`, through either door: the app's own
 * HTTP endpoint (returned, for the server) or Probot (its `receive()` and its own route).
 */
export function routeWebhooks(
  probot: Probot,
  deps: {
    deliveries: DeliveryLog;
    intake: Intake;
    metrics: Metrics;
    answerFirst: AnswerFirst;
    env: NodeJS.ProcessEnv;
  },
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const receive = async (delivery: Delivery, event: string) => {
    deps.answerFirst.arrived();
    const started = performance.now();
    try {
      await receiveWebhook(delivery, { deliveries: deps.deliveries, intake: deps.intake }, logFor(delivery));
    } finally {
      deps.metrics.observeWebhook(event, (performance.now() - started) / 1_000);
    }
  };
  // Most deliveries log nothing, and a pino child costs more than the rest of their logging: it is
  // made when a line is written.
  const logFor = (delivery: Delivery) => {
    let child: Probot["log"] | undefined;
    const log = () => (child ??= probot.log.child({ delivery: delivery.id, event: delivery.name }));
    return {
      info: (obj: object, msg: string) => log().info(obj, msg),
      debug: (obj: object, msg: string) => log().debug(obj, msg),
      warn: (obj: object, msg: string) => log().warn(obj, msg),
    };
  };
  for (const event of EVENTS) probot.on(event, (context) => receive(context, event));
  return webhookEndpoint({
    env: deps.env,
    events: EVENTS,
    receive,
    log: probot.log,
  });
}
