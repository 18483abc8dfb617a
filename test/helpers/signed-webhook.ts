import { createHmac } from "node:crypto";
import type { Probot } from "probot";

/**
 * Delivers an event as GitHub does: the JSON body signed with the webhook secret, verified by
 * Probot before any handler runs (a wrong signature is rejected).
 */
export async function deliverSigned(
  probot: Probot,
  id: string,
  event: { name: string; payload: unknown },
  secret = "test-webhook-secret",
): Promise<void> {
  const body = JSON.stringify(event.payload);
  await probot.webhooks.verifyAndReceive({
    id,
    name: event.name,
    payload: body,
    signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  });
}
