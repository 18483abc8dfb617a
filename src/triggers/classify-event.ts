import { parseCheckRunExternalId } from "../forge/check-run-actions.ts";
import type {
  CheckRunActionPayload,
  IssueCommentCreatedPayload,
  IssuesLabeledPayload,
} from "./webhook-payloads.schema.ts";
import { type AgentCommand, parseAgentCommand } from "./parse-agent-command.ts";

/**
 * First, cheap decision on a webhook: could it ask something of the agent? Pure; no API calls.
 * The label name is only checked against the repository's configured label later, once the config
 * is loaded.
 */
export type Classification =
  | {
      start: true;
      kind: "label";
      labelName: string;
      command: AgentCommand;
      commentId: undefined;
      onPullRequest: false;
    }
  | {
      start: true;
      kind: "comment";
      labelName: undefined;
      command: AgentCommand;
      commentId: number;
      onPullRequest: boolean;
    }
  | { start: false; reason: string };

export function classifyLabeled(payload: IssuesLabeledPayload): Classification {
  const common = commonChecks(payload);
  if (common) return common;
  if (payload.issue.state !== "open") return { start: false, reason: "issue is not open" };
  return {
    start: true,
    kind: "label",
    labelName: payload.label.name,
    command: { verb: "start", instructions: "" },
    commentId: undefined,
    onPullRequest: false,
  };
}

export function classifyComment(payload: IssueCommentCreatedPayload): Classification {
  const command = parseAgentCommand(payload.comment.body);
  if (!command) return { start: false, reason: "comment is not an /agent command" };
  const common = commonChecks(payload);
  if (common) return common;
  // A closed issue can still be asked for its status or for help, but not for new work.
  if (payload.issue.state !== "open" && ["start", "retry", "skip-tests"].includes(command.verb)) {
    return { start: false, reason: "issue is not open" };
  }
  return {
    start: true,
    kind: "comment",
    labelName: undefined,
    command,
    commentId: payload.comment.id,
    onPullRequest: payload.issue.pull_request !== undefined && payload.issue.pull_request !== null,
  };
}

/** A click on issue-agent's check run: Re-run or Retry retries the job, Stop stops it. */
export function classifyCheckRun(
  payload: CheckRunActionPayload,
): { start: true; command: AgentCommand; issueNumber: number } | { start: false; reason: string } {
  const owner = parseCheckRunExternalId(payload.check_run.external_id);
  if (!owner) return { start: false, reason: "not an issue-agent check run" };
  const common = commonChecks(payload);
  if (common && !common.start) return common;
  const wanted = payload.action === "rerequested" ? "retry" : payload.requested_action?.identifier;
  if (wanted !== "retry" && wanted !== "stop") {
    return { start: false, reason: `unknown check run action ${wanted ?? "(none)"}` };
  }
  return { start: true, command: { verb: wanted }, issueNumber: owner.issueNumber };
}

function commonChecks(
  payload: Pick<IssuesLabeledPayload, "sender">,
): { start: false; reason: string } | undefined {
  // Bots never trigger work; this includes issue-agent itself, so its own comments cannot loop.
  if (payload.sender.type === "Bot" || payload.sender.login.endsWith("[bot]")) {
    return { start: false, reason: `sender ${payload.sender.login} is a bot` };
  }
  return undefined;
}
