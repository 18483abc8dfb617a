/**
 * What happened during one agent run, for the PR body and the check run: the plan as the agent
 * last stated it, every command with its outcome, and token usage.
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

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  modelCalls: number;
}

export class RunLog {
  plan: PlanStep[] = [];
  readonly commands: CommandRecord[] = [];
  readonly usage: TokenUsage = { promptTokens: 0, completionTokens: 0, modelCalls: 0 };
  steps = 0;
  private readonly planListeners: Array<(plan: PlanStep[]) => void> = [];

  onPlanChange(listener: (plan: PlanStep[]) => void): void {
    this.planListeners.push(listener);
  }

  setPlan(plan: PlanStep[]): void {
    this.plan = plan;
    for (const listener of this.planListeners) listener(plan);
  }

  get totalTokens(): number {
    return this.usage.promptTokens + this.usage.completionTokens;
  }
}
