import type { AnswerFirst } from "../server/answer-first.ts";
import type { Probot } from "probot";
import type { Metrics } from "../server/metrics.ts";
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

export function routeWebhooks(
  probot: Probot,
  deps: { deliveries: DeliveryLog; intake: Intake; metrics: Metrics; answerFirst: AnswerFirst },
): void {
  const timed = async (event: string, handle: () => Promise<void>) => {
    const started = performance.now();
    try {
      await handle();
    } finally {
      deps.metrics.observeWebhook(event, (performance.now() - started) / 1_000);
    }
  };
  for (const event of EVENTS) {
    probot.on(event, (context) =>
      timed(event, () => {
        deps.answerFirst.arrived();
        return receiveWebhook(
          context,
          { deliveries: deps.deliveries, intake: deps.intake },
          context.log.child({ delivery: context.id, event: context.name }),
        );
      }),
    );
  }
}
