import type { z } from "zod";
import type { AgentConfig } from "../../config/agent-config.schema.ts";
import type { StepDelivery } from "../../gates/deliver-step.ts";
import type { PathPolicy } from "../../guardrails/paths/path-policy.ts";
import type { ApprovalSource } from "../approval.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import type { JobClock } from "../job-clock.ts";
import type { RunLog } from "../../jobs/run-log.ts";

/** What every tool may use. One per job. */
export interface ToolContext {
  /** Real path of the workspace root. */
  workspace: string;
  sandbox: Sandbox;
  config: AgentConfig;
  paths: PathPolicy;
  log: RunLog;
  clock: JobClock;
  redact: (text: string) => string;
  /**
   * Model text as it may appear on GitHub (PR bodies, comments, plans, questions, replies): secrets
   * redacted, links, images, mentions and references neutralised.
   */
  publishable: (text: string) => string;
  /** Milliseconds left before the job's wall-clock limit. */
  remainingMs: () => number;
  /** The decision on a command that needs approval, if one was made; otherwise the job pauses to ask. */
  approvalFor: ApprovalSource;
  delivery: StepDelivery;
  signal: AbortSignal | undefined;
}

/** A finishing tool's verdict; the loop ends when a tool returns one. */
export type AgentOutcome =
  | {
      kind: "finished";
      title: string;
      summary: string;
      rationale: string;
      /** When revising a pull request: the answer for each review comment, by id. */
      reviewReplies?: Array<{ commentId: number; body: string }>;
    }
  | { kind: "gave_up"; reason: string }
  /** The job pauses until a maintainer answers; the answer becomes this call's tool result. */
  | { kind: "question"; question: string }
  /** The job pauses until a maintainer approves or denies the command; then this call is run again. */
  | { kind: "approval"; command: string; reason: string };

export interface ToolResult {
  output: string;
  outcome?: AgentOutcome;
}

export interface Tool<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: Schema;
  /** A call of it ends the run (finish, give up, ask): it still counts once the time is up. */
  endsRun?: true;
  run(args: z.infer<Schema>, context: ToolContext): Promise<ToolResult>;
}

/** A failure the model can act on; returned to it as the tool result instead of ending the job. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

export function defineTool<Schema extends z.ZodType>(tool: Tool<Schema>): Tool {
  return tool as unknown as Tool;
}
