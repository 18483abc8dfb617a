import type { IssueCommentCreatedPayload, IssuesLabeledPayload } from "./webhook-payloads.schema.ts";
import { parseAgentCommand } from "./parse-agent-command.ts";

/**
 * First, cheap decision on a webhook: could it start work? Pure; no API calls. The label name is
 * only checked against the repository's configured label later, once the config is loaded.
 */
export type Classification =
  | { start: true; kind: "label"; labelName: string; instructions: undefined; commentId: undefined }
  | { start: true; kind: "comment"; labelName: undefined; instructions: string; commentId: number }
  | { start: false; reason: string };

export function classifyLabeled(payload: IssuesLabeledPayload): Classification {
  const common = commonChecks(payload);
  if (common) return common;
  return {
    start: true,
    kind: "label",
    labelName: payload.label.name,
    instructions: undefined,
    commentId: undefined,
  };
}

export function classifyComment(payload: IssueCommentCreatedPayload): Classification {
  const command = parseAgentCommand(payload.comment.body);
  if (!command) return { start: false, reason: "comment is not an /agent command" };
  const common = commonChecks(payload);
  if (common) return common;
  if (payload.issue.pull_request !== undefined) {
    return { start: false, reason: "/agent on pull requests is handled by review iteration, not here" };
  }
  return {
    start: true,
    kind: "comment",
    labelName: undefined,
    instructions: command.instructions,
    commentId: payload.comment.id,
  };
}

function commonChecks(
  payload: IssuesLabeledPayload | IssueCommentCreatedPayload,
): Classification | undefined {
  // Bots never trigger work; this includes issue-agent itself, so its own comments cannot loop.
  if (payload.sender.type === "Bot" || payload.sender.login.endsWith("[bot]")) {
    return { start: false, reason: `sender ${payload.sender.login} is a bot` };
  }
  if (payload.issue.state !== "open") return { start: false, reason: "issue is not open" };
  return undefined;
}
