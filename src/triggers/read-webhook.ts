import { z } from "zod";
import { type Classification, classifyCheckRun, classifyComment, classifyLabeled } from "./classify-event.ts";
import {
  issueOfAgentBranch,
  issueOfAgentPullRequest,
  type PullRequestEvent,
  type TriggerRequest,
} from "./trigger.ts";
import {
  checkRunActionPayload,
  checkSuiteCompletedPayload,
  pullRequestClosedPayload,
  pullRequestReviewSubmittedPayload,
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
  if (delivery.name === "pull_request_review") return readReview(delivery, receivedAt);
  if (delivery.name === "pull_request" || delivery.name === "check_suite") {
    return readPullRequestEvent(delivery, receivedAt);
  }
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
        ...triggerFrom(payload, delivery.id, payload.issue.number),
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
        ...triggerFrom(payload, delivery.id, click.issueNumber),
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

/**
 * A review of one of the agent's own pull requests (its branch is `agent/<issue>-…`, in this
 * repository) that asks for changes, or comments, starts a follow-up job for that issue.
 */
function readReview(delivery: { id: string; payload: unknown }, receivedAt: Date): WebhookReading {
  const parsed = pullRequestReviewSubmittedPayload.safeParse(delivery.payload);
  if (!parsed.success) return { outcome: "malformed", problems: z.prettifyError(parsed.error) };
  const { review, pull_request: pull, sender } = parsed.data;
  if (sender.type === "Bot" || sender.login.endsWith("[bot]")) {
    return { outcome: "ignored", reason: `sender ${sender.login} is a bot` };
  }
  const state = review.state.toLowerCase();
  const issueNumber = issueOfAgentPullRequest(pull);
  if (issueNumber === undefined)
    return { outcome: "ignored", reason: "not a pull request issue-agent opened" };
  if (pull.state !== "open") return { outcome: "ignored", reason: "pull request is not open" };
  if (state === "approved") {
    const event = { type: "approved" as const, pullNumber: pull.number, branch: pull.head.ref };
    return pullRequestEventRequest(parsed.data, delivery.id, issueNumber, event, receivedAt);
  }
  if (state !== "changes_requested" && state !== "commented") {
    return { outcome: "ignored", reason: `a review that is ${state} asks for no change` };
  }
  return {
    outcome: "request",
    request: {
      trigger: {
        kind: "review",
        ...triggerFrom(parsed.data, delivery.id, issueNumber),
        instructions: undefined,
        commentId: undefined,
        revision: {
          pullNumber: pull.number,
          branch: pull.head.ref,
          reviewId: review.id,
          reviewBody: review.body ?? "",
          reviewState: state,
        },
      },
      labelName: undefined,
      command: { verb: "start", instructions: "" },
      onPullRequest: true,
      receivedAt: receivedAt.toISOString(),
    },
  };
}

/** A closed agent pull request, or checks completed on one: work for the merge flow. */
function readPullRequestEvent(
  delivery: { id: string; name: string; payload: unknown },
  receivedAt: Date,
): WebhookReading {
  if (delivery.name === "pull_request") {
    const parsed = pullRequestClosedPayload.safeParse(delivery.payload);
    if (!parsed.success) return { outcome: "ignored", reason: "not a closed pull request" };
    const pull = parsed.data.pull_request;
    const issueNumber = issueOfAgentPullRequest(pull);
    if (issueNumber === undefined)
      return { outcome: "ignored", reason: "not a pull request issue-agent opened" };
    const event = {
      type: "closed" as const,
      pullNumber: pull.number,
      branch: pull.head.ref,
      merged: pull.merged === true,
    };
    return pullRequestEventRequest(parsed.data, delivery.id, issueNumber, event, receivedAt);
  }
  const parsed = checkSuiteCompletedPayload.safeParse(delivery.payload);
  if (!parsed.success) return { outcome: "ignored", reason: "not a completed check suite" };
  const pull = parsed.data.check_suite.pull_requests.find(
    (p) => issueOfAgentBranch(p.head.ref) !== undefined,
  );
  if (!pull) return { outcome: "ignored", reason: "checks on no issue-agent pull request" };
  const suite = parsed.data.check_suite;
  const failed = suite.conclusion === "failure" || suite.conclusion === "timed_out";
  const event: PullRequestEvent = failed
    ? {
        type: "ci_failed",
        pullNumber: pull.number,
        branch: pull.head.ref,
        headSha: suite.head_sha,
        baseRef: pull.base?.ref ?? "main",
      }
    : { type: "checks_completed", pullNumber: pull.number, branch: pull.head.ref };
  return pullRequestEventRequest(
    parsed.data,
    delivery.id,
    issueOfAgentBranch(pull.head.ref)!,
    event,
    receivedAt,
  );
}

function pullRequestEventRequest(
  payload: PayloadOrigin,
  deliveryId: string,
  issueNumber: number,
  event: PullRequestEvent,
  receivedAt: Date,
): WebhookReading {
  return {
    outcome: "request",
    request: {
      trigger: {
        kind: "review",
        ...triggerFrom(payload, deliveryId, issueNumber),
        instructions: undefined,
        commentId: undefined,
      },
      labelName: undefined,
      command: { verb: "start", instructions: "" },
      onPullRequest: true,
      pullRequestEvent: event,
      receivedAt: receivedAt.toISOString(),
    },
  };
}

/** What every webhook payload says about where it comes from and who sent it. */
interface PayloadOrigin {
  repository: { name: string; owner: { login: string } };
  sender: { login: string };
  installation?: { id: number } | undefined;
}

/** The fields every trigger takes from its payload. */
function triggerFrom(payload: PayloadOrigin, deliveryId: string, issueNumber: number) {
  return {
    deliveryId,
    installationId: payload.installation?.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    issueNumber,
    sender: payload.sender.login,
  };
}
