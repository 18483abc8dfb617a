/**
 * What happened during one agent run, for the PR body and the check run: the plan as the agent
 * last stated it, every command with its outcome, refusals by the guardrails, the steps delivered
 * with their gate results, and token usage.
 */
export type PlanStatus = "pending" | "in_progress" | "done";

export interface PlanStep {
  title: string;
  status: PlanStatus;
}

export interface CommandRecord {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

export interface Refusal {
  /** The rule that refused, e.g. `deny: rm -rf`, `path`, `allow`. */
  rule: string;
  subject: string;
  reason: string;
}

/**
 * A gate's verdict. `not_verified` is for a gate that could not check what it checks (test-first
 * without a runnable test command): the step is delivered, but never reported as passed.
 * `waived`: failed a rule that someone with write access explicitly waived for the job; never
 * "passed" either.
 */
export type GateStatus = "passed" | "failed" | "skipped" | "not_verified" | "waived";

export interface GateResult {
  gate: "paths" | "diff size" | "lint" | "test-first";
  status: GateStatus;
  detail: string;
  /** What a maintainer can do about a verdict that is not a pass, e.g. the setting to add. */
  fix?: string;
  /** Log excerpts (test runs, lint output) shown in the check run. */
  excerpts?: Array<{ title: string; text: string }>;
  /** Files that broke the rule, for check-run annotations. */
  files?: Array<{ path: string; message: string }>;
}

/**
 * The headline of a step that passes test-first because it provably cannot change behaviour, in
 * the check run and the PR body (the verdict's detail starts with it).
 */
export const BEHAVIOUR_UNCHANGED = "behaviour unchanged (comments/formatting only)";

/** One atomic, gated unit of work; each becomes its own pull request. */
export interface DeliveredStep {
  title: string;
  summary: string;
  sha: string;
  baseSha: string;
  files: Array<{ path: string; added: number; removed: number }>;
  lines: number;
  gates: GateResult[];
  reviewReasons: Array<{ path: string; reason: string }>;
}

export interface TokenUsage {
  promptTokens: number;
  cachedPromptTokens: number;
  completionTokens: number;
  modelCalls: number;
  /** US dollars, from the model's price; undefined when the model has no known price. */
  costUsd: number | undefined;
  /** The agent's working time (the loop's wall clock, without waits for a human); absent in old records. */
  agentMs?: number;
}

export class RunLog {
  plan: PlanStep[] = [];
  readonly commands: CommandRecord[] = [];
  readonly refusals: Refusal[] = [];
  readonly steps: DeliveredStep[] = [];
  /** Messages maintainers sent while the agent worked, with the turn that first saw each. */
  readonly maintainerMessages: Array<{ by: string; text: string; turn: number }> = [];
  /** Gate results of the last rejected attempt to deliver a step, if the run ended on one. */
  lastRejectedGates: GateResult[] | undefined;
  readonly usage: TokenUsage = {
    promptTokens: 0,
    cachedPromptTokens: 0,
    completionTokens: 0,
    modelCalls: 0,
    costUsd: undefined,
    agentMs: 0,
  };
  turns = 0;
  /** Older tool results left out of the conversation to stay within the context budget. */
  elidedToolOutputs = 0;
  private readonly listeners: Array<() => void> = [];

  /** Called whenever something a maintainer watches changed (plan, steps, approvals). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  setPlan(plan: PlanStep[]): void {
    this.plan = plan;
    this.changed();
  }

  get totalTokens(): number {
    return this.usage.promptTokens + this.usage.completionTokens;
  }

  /** The log as plain data, for a job that pauses (see WaitingForHuman). */
  toData(): RunLogData {
    return structuredClone({
      plan: this.plan,
      commands: this.commands,
      refusals: this.refusals,
      steps: this.steps,
      maintainerMessages: this.maintainerMessages,
      lastRejectedGates: this.lastRejectedGates,
      usage: this.usage,
      turns: this.turns,
      elidedToolOutputs: this.elidedToolOutputs,
    });
  }

  /** A log that goes on from `data`, as the job that paused left it. */
  static fromData(data: RunLogData): RunLog {
    const log = new RunLog();
    log.plan = data.plan;
    log.commands.push(...data.commands);
    log.refusals.push(...data.refusals);
    log.steps.push(...data.steps);
    log.maintainerMessages.push(...data.maintainerMessages);
    log.lastRejectedGates = data.lastRejectedGates;
    Object.assign(log.usage, data.usage);
    log.turns = data.turns;
    log.elidedToolOutputs = data.elidedToolOutputs ?? 0;
    return log;
  }
}

export interface RunLogData {
  plan: PlanStep[];
  commands: CommandRecord[];
  refusals: Refusal[];
  steps: DeliveredStep[];
  maintainerMessages: Array<{ by: string; text: string; turn: number }>;
  lastRejectedGates: GateResult[] | undefined;
  usage: TokenUsage;
  turns: number;
  elidedToolOutputs?: number;
}
