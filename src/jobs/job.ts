import { randomUUID } from "node:crypto";
import type { GateStatus, PlanStep, TokenUsage } from "../agent/run-log.ts";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import type { Trigger } from "../triggers/trigger.ts";
import type { InboxItem } from "./job-inbox.ts";

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

const NEXT_STATES: Record<JobState, readonly JobState[]> = {
  queued: ["running", "cancelled", "failed"],
  running: ["succeeded", "failed", "cancelled"],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export interface JobEvent {
  at: string;
  message: string;
}

export interface Job {
  id: string;
  trigger: Trigger;
  /** The repository config as read from the default branch when the job was triggered. */
  config: AgentConfig;
  state: JobState;
  createdAt: string;
  updatedAt: string;
  events: JobEvent[];
  /** Attempts started; more than one means a process died while the job was running. */
  attempts: number;
  /** Where the job reports, so any process can finish the report after a crash. */
  report: { checkRunId?: number; statusCommentId?: number };
  plan: PlanStep[];
  pullRequestUrls: string[];
  /** When the job first left the queue. */
  startedAt: string | undefined;
  usage: TokenUsage | undefined;
  /** Every gate verdict of the run, delivered steps and rejected attempts alike. */
  gateOutcomes: Array<{ gate: string; status: GateStatus }>;
  /** Maintainers' messages received while the job ran (`/agent <instructions>`); absent in old records. */
  messages?: InboxItem[];
}

export function newJob(trigger: Trigger, config: AgentConfig, now = new Date()): Job {
  const at = now.toISOString();
  return {
    id: randomUUID(),
    trigger,
    config,
    state: "queued",
    createdAt: at,
    updatedAt: at,
    events: [{ at, message: `queued (${trigger.kind} by @${trigger.sender})` }],
    attempts: 0,
    report: {},
    plan: [],
    pullRequestUrls: [],
    startedAt: undefined,
    usage: undefined,
    gateOutcomes: [],
  };
}

export function isActive(state: JobState): boolean {
  return state === "queued" || state === "running";
}

/** Returns the job in its next state; an impossible transition is a programming error. */
export function transition(job: Job, to: JobState, message: string, now = new Date()): Job {
  if (!NEXT_STATES[job.state].includes(to)) {
    throw new Error(`job ${job.id}: cannot go from ${job.state} to ${to}`);
  }
  const at = now.toISOString();
  return { ...job, state: to, updatedAt: at, events: [...job.events, { at, message: `${to}: ${message}` }] };
}

export function withEvent(job: Job, message: string, now = new Date()): Job {
  const at = now.toISOString();
  return { ...job, updatedAt: at, events: [...job.events, { at, message }] };
}
