import { randomUUID } from "node:crypto";
import type { GateStatus, PlanStep, TokenUsage } from "./run-log.ts";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import type { Trigger } from "./trigger.ts";
import type { InboxItem } from "./job-inbox.ts";

export type JobState = "queued" | "running" | "waiting_for_human" | "succeeded" | "failed" | "cancelled";

const NEXT_STATES: Record<JobState, readonly JobState[]> = {
  queued: ["running", "cancelled", "failed"],
  running: ["succeeded", "failed", "cancelled", "waiting_for_human"],
  // Answered (or the wait expired): queued again, to resume where it paused.
  waiting_for_human: ["queued"],
  succeeded: [],
  failed: [],
  cancelled: [],
};

/** A job whose process died this many times is not started again. */
export const MAX_ATTEMPTS = 3;

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
  /**
   * Set from the moment the job posts a question or an approval request until it has paused (or
   * resumes): an answer that arrives in between is meant for the pause, not a steering message.
   */
  pausing?: { askedAt: string; approval: boolean } | undefined;
  /** Who waived test-first for this job (`/agent skip-tests`); steps then need only a green suite. */
  waivedBy?: string | undefined;
  /** Set while the agent waits for an answer to its question, and kept until the job resumes. */
  waiting?: WaitingForHuman | undefined;
  /** How many times the job was queued again after a pause; distinguishes its queue entries. */
  resumes?: number;
  /**
   * The head commit on which the pull request was told that CI still fails after the last fix
   * attempt, so the notice is posted once, however many check suites complete on it.
   */
  ciGaveUpOn?: string;
}

/** Everything a paused job needs to go on where it stopped, on any process, after a restart too. */
export interface WaitingForHuman {
  /** What the agent asked, or for an approval request, which command needs approval. */
  question: string;
  /** Set when the job waits for `/agent approve` or `/agent deny` on this command. */
  approval?: { command: string; reason: string } | undefined;
  askedAt: string;
  /** After this, the job stops waiting and ends with a note. */
  deadline: string;
  /** The conversation so far; its last tool message answers the question once it is answered. */
  messages: unknown[];
  /** The run log (plan, steps, commands, usage) as plain data. */
  runLog: unknown;
  /** The status comment's notes so far, so the resumed run's status keeps its history. */
  notes?: string[];
  /** The work so far as a git bundle (base64) of the branch, uncommitted changes in its top commit. */
  bundle: string;
  branch: string;
  baseSha: string;
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

/** A job that occupies its issue: no other job may start there. */
export function isActive(state: JobState): boolean {
  return state === "queued" || state === "running" || state === "waiting_for_human";
}

/** A job a queue should run (after a restart too); a waiting job runs once answered. */
export function isRunnable(state: JobState): boolean {
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
