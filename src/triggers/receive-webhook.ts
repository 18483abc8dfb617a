import type { DeliveryLog } from "./delivery-log.ts";
import type { TriggerRequest } from "./trigger.ts";
import { readWebhook } from "./read-webhook.ts";

interface Log {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The webhook handler for everything that may start work. It validates, records the request
 * durably and hands it to the intake stage, then returns so GitHub gets its answer at once: no
 * GitHub API call happens on this path (the intake's calls wait for their turn, see AnswerFirst).
 */
export async function receiveWebhook(
  delivery: { id: string; name: string; payload: unknown },
  deps: { deliveries: DeliveryLog; intake: { submit(request: TriggerRequest): void } },
  log: Log,
): Promise<void> {
  const reading = readWebhook(delivery);
  if (reading.outcome === "malformed") {
    log.warn({ problems: reading.problems }, "ignoring malformed webhook payload");
    return;
  }
  if (reading.outcome === "ignored") {
    log.debug({ reason: reading.reason }, "not a trigger");
    return;
  }
  if (!(await deps.deliveries.accept(reading.request))) {
    log.info({}, "ignoring redelivered webhook");
    return;
  }
  deps.intake.submit(reading.request);
}
