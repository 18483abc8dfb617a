import { z } from "zod";
import { type Classification, classifyCheckRun, classifyComment, classifyLabeled } from "./classify-event.ts";
import type { TriggerRequest } from "./trigger.ts";
import {
  checkRunActionPayload,
  issueCommentCreatedPayload,
  issuesLabeledPayload,
} from "./webhook-payloads.schema.ts";

export type WebhookReading =
  | { outcome: "request"; request: TriggerRequest }
  | { outcome: "ignored"; reason: string }
  | { outcome: "malformed"; problems: string };

/**
 * The webhook receiver's whole decision, pure and without API calls so the acknowledgement is fast:
 * is this a well-formed event that may start work, and if so, what exactly was asked.
 */
export function readWebhook(
  delivery: { id: string; name: string; payload: unknown },
  receivedAt: Date = new Date(),
): WebhookReading {
  if (delivery.name === "check_run") return readCheckRunClick(delivery, receivedAt);
  const isComment = delivery.name === "issue_comment";
  let classification: Classification;
  let payload: z.infer<typeof issuesLabeledPayload> | z.infer<typeof issueCommentCreatedPayload>;
  if (isComment) {
    const parsed = issueCommentCreatedPayload.safeParse(delivery.payload);
    if (!parsed.success) return { outcome: "malformed", problems: z.prettifyError(parsed.error) };
    payload = parsed.data;
    classification = classifyComment(parsed.data);
  } else {
    const parsed = issuesLabeledPayload.safeParse(delivery.payload);
    if (!parsed.success) return { outcome: "malformed", problems: z.prettifyError(parsed.error) };
    payload = parsed.data;
    classification = classifyLabeled(parsed.data);
  }
  if (!classification.start) return { outcome: "ignored", reason: classification.reason };
  return {
    outcome: "request",
    request: {
      trigger: {
        kind: classification.kind,
        deliveryId: delivery.id,
        installationId: payload.installation?.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        issueNumber: payload.issue.number,
        sender: payload.sender.login,
        instructions:
          classification.command.verb === "start" ? classification.command.instructions : undefined,
        commentId: classification.commentId,
      },
      labelName: classification.labelName,
      command: classification.command,
      onPullRequest: classification.onPullRequest,
      receivedAt: receivedAt.toISOString(),
    },
  };
}

function readCheckRunClick(delivery: { id: string; payload: unknown }, receivedAt: Date): WebhookReading {
  const parsed = checkRunActionPayload.safeParse(delivery.payload);
  if (!parsed.success) return { outcome: "malformed", problems: z.prettifyError(parsed.error) };
  const payload = parsed.data;
  const click = classifyCheckRun(payload);
  if (!click.start) return { outcome: "ignored", reason: click.reason };
  return {
    outcome: "request",
    request: {
      trigger: {
        kind: "check_run",
        deliveryId: delivery.id,
        installationId: payload.installation?.id,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        issueNumber: click.issueNumber,
        sender: payload.sender.login,
        instructions: undefined,
        commentId: undefined,
      },
      labelName: undefined,
      command: click.command,
      onPullRequest: false,
      receivedAt: receivedAt.toISOString(),
    },
  };
}
