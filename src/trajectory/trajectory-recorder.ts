import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Model } from "../agent/model.ts";
import { costOf, type ModelPrice } from "../agent/pricing.ts";
import type { DeliveredStep, GateResult, RunLog } from "../jobs/run-log.ts";
import type { Tool } from "../agent/tools/tool.ts";
import type { Job } from "../jobs/job.ts";
import type { Logger as FullLogger } from "../log.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";
import { readStepDiff } from "./read-step-diff.ts";
import { gateEvent, stepEvent } from "./gate-and-step-events.ts";
import { bound, clip, continued, type Trajectory, type TrajectoryEvent } from "./trajectory.ts";
import type { TrajectoryStore } from "./trajectory-store.ts";

type Logger = Pick<FullLogger, "warn">;

interface RecorderOptions {
  store: TrajectoryStore | undefined;
  redactor: SecretRedactor;
  log: RunLog;
  /** The status comment's notes (steering messages, approvals, questions, setup), appended to as they come. */
  notes: readonly string[];
  logger: Logger;
}

/**
 * Records a job's trajectory as it happens by wrapping what the job already has (the model, the
 * tools, the run log, the status comment's notes), so the job itself barely changes. Every text is
 * redacted before it is kept, then clipped; the record is saved after each event (saves coalesce).
 */
export class TrajectoryRecorder {
  private trajectory: Trajectory;
  private sentBefore = 0;
  private notesSeen: number;
  private planSeen = "[]";
  private saving: Promise<void> | undefined;
  private dirty = false;
  /** Set while the job's earlier record could not be read: nothing is saved over it until it is. */
  private earlierUnread = false;

  private readonly store: TrajectoryStore | undefined;
  private readonly redactor: SecretRedactor;
  private readonly log: RunLog;
  private readonly notes: readonly string[];
  private readonly logger: Logger;

  private constructor(options: RecorderOptions, trajectory: Trajectory) {
    this.store = options.store;
    this.redactor = options.redactor;
    this.log = options.log;
    this.notes = options.notes;
    this.logger = options.logger;
    this.trajectory = trajectory;
    this.notesSeen = options.notes.length;
    this.planSeen = JSON.stringify(options.log.plan);
    options.log.onChange(() => this.syncPlan());
  }

  /** The job's record so far (a resumed or restarted job goes on with it), or a new one. */
  static async open(options: RecorderOptions & { job: Job }): Promise<TrajectoryRecorder> {
    const { job } = options;
    // A record that cannot be read now is not a missing one: saving over it would lose a paused
    // job's title and events. It is read again before anything is saved (see catchUp).
    let unread = false;
    const existing = await options.store?.getTrajectory(job.id).catch((error: unknown) => {
      options.logger.warn(
        { err: error },
        "could not read the job's trajectory; reading it again before saving",
      );
      unread = true;
      return undefined;
    });
    const now = new Date().toISOString();
    const trajectory: Trajectory = existing ?? {
      jobId: job.id,
      repository: `${job.trigger.owner}/${job.trigger.repo}`.toLowerCase(),
      issueNumber: job.trigger.issueNumber,
      issueTitle: "",
      state: job.state,
      startedAt: job.startedAt ?? now,
      updatedAt: now,
      cut: 0,
      events: [],
    };
    const recorder = new TrajectoryRecorder(options, { ...trajectory, state: job.state });
    recorder.earlierUnread = unread;
    recorder.save();
    return recorder;
  }

  get record(): Trajectory {
    return this.trajectory;
  }

  titled(title: string): void {
    this.trajectory = { ...this.trajectory, issueTitle: this.text(title, 500) };
    this.save();
  }

  /** The model, with each call recorded: what was added since the last call, what came back, its cost. */
  model(model: Model, price: ModelPrice | undefined): Model {
    return {
      name: model.name,
      complete: async (request) => {
        const started = performance.now();
        const sent = this.newlySent(request.messages);
        const turn = await model.complete(request);
        const { message, usage } = turn;
        this.add({
          kind: "model",
          at: new Date().toISOString(),
          durationMs: Math.round(performance.now() - started),
          ...usage,
          costUsd: price ? costOf(usage, price) : undefined,
          sent,
          text: this.text(message.content ?? ""),
          toolCalls: (message.tool_calls ?? []).flatMap((call) =>
            call.type === "function"
              ? [{ name: call.function.name, arguments: this.text(call.function.arguments) }]
              : [],
          ),
        });
        return turn;
      },
    };
  }

  /**
   * The tools, with each call recorded: arguments, result, the command it ran, the gates it judged,
   * the steps it delivered with their diffs, and what the job now waits for.
   */
  tools(tools: readonly Tool[]): Tool[] {
    return tools.map((tool) => ({
      ...tool,
      run: async (args, context) => {
        const started = performance.now();
        const commandsBefore = this.log.commands.length;
        const stepsBefore = this.log.steps.length;
        const rejectedBefore = this.log.lastRejectedGates;
        const result = await tool.run(args, context);
        const command = this.log.commands.length > commandsBefore ? this.log.commands.at(-1) : undefined;
        this.add({
          kind: "tool",
          at: new Date().toISOString(),
          durationMs: Math.round(performance.now() - started),
          name: tool.name,
          arguments: this.text(JSON.stringify(args)),
          output: this.text(result.output),
          ...(command ? { command: { ...command, command: this.text(command.command, 4_000) } } : {}),
        });
        const gates = this.log.steps.slice(stepsBefore).flatMap((step) => step.gates);
        if (this.log.lastRejectedGates && this.log.lastRejectedGates !== rejectedBefore) {
          gates.push(...this.log.lastRejectedGates);
        }
        for (const gate of gates) this.gate(gate);
        for (const step of this.log.steps.slice(stepsBefore)) await this.step(step, context.workspace);
        if (result.outcome?.kind === "approval") {
          const { command: asked, reason } = result.outcome;
          this.add({
            kind: "note",
            at: new Date().toISOString(),
            text: this.text(`Waiting for approval of a command: ${asked}\n\n${reason}`),
          });
        }
        return result;
      },
    }));
  }

  /** The job's end (or its pause): the notes not yet seen, the state and the verdict. */
  async finish(
    state: string,
    verdict: { conclusion: string; headline: string; detail: string | undefined } | undefined,
  ): Promise<void> {
    this.syncNotes();
    if (verdict) {
      this.add({
        kind: "verdict",
        at: new Date().toISOString(),
        conclusion: verdict.conclusion,
        headline: this.text(verdict.headline, 2_000),
        detail: this.text(verdict.detail ?? ""),
      });
    }
    this.trajectory = { ...this.trajectory, state };
    this.save();
    await this.flushed();
  }

  /** Resolves once every change so far is saved. */
  async flushed(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private gate(gate: GateResult): void {
    this.add(gateEvent(gate, (text, max) => this.text(text, max)));
  }

  /** A delivered step with its diff, read while its commit is still in the workspace. */
  private async step(step: DeliveredStep, workspaceDir: string): Promise<void> {
    const diff = await readStepDiff(workspaceDir, step);
    this.add(stepEvent(step, diff, (text, max) => this.text(text, max)));
  }

  private syncPlan(): void {
    const plan = JSON.stringify(this.log.plan);
    if (plan === this.planSeen) return;
    this.planSeen = plan;
    const steps = this.log.plan.map((step) => ({ title: this.text(step.title, 1_000), status: step.status }));
    this.add({ kind: "plan", at: new Date().toISOString(), steps });
  }

  private syncNotes(): void {
    const fresh = this.notes.slice(this.notesSeen);
    this.notesSeen = this.notes.length;
    for (const note of fresh)
      this.push({ kind: "note", at: new Date().toISOString(), text: this.text(note) });
  }

  /** The messages added since the previous call; the assistant's own are recorded as it sent them. */
  private newlySent(messages: ChatCompletionMessageParam[]): Array<{ role: string; text: string }> {
    const from = messages.length >= this.sentBefore ? this.sentBefore : 0;
    this.sentBefore = messages.length;
    return messages.slice(from).flatMap((message) => {
      if (message.role === "assistant") return [];
      if (message.role === "tool") return [{ role: "tool", text: "(the tool's result, shown above)" }];
      const content = message.content;
      const text = typeof content === "string" ? content : JSON.stringify(content);
      return [{ role: message.role, text: this.text(text) }];
    });
  }

  /** Redacted first, so clipping can never split a secret into pieces the redactor misses. */
  private text(value: string, max?: number): string {
    return clip(this.redactor.redact(value), max);
  }

  private add(event: TrajectoryEvent): void {
    this.syncNotes();
    this.push(event);
  }

  private push(event: TrajectoryEvent): void {
    this.trajectory = bound({
      ...this.trajectory,
      updatedAt: event.at,
      events: [...this.trajectory.events, event],
    });
    this.save();
  }

  private save(): void {
    if (!this.store) return;
    if (this.saving) {
      this.dirty = true;
      return;
    }
    const store = this.store;
    this.saving = (async () => {
      do {
        this.dirty = false;
        // Unreadable still: tried again only for changes made meanwhile (or at the next save).
        if (this.earlierUnread && !(await this.catchUp(store))) continue;
        await store
          .saveTrajectory(this.trajectory)
          .catch((error: unknown) => this.logger.warn({ err: error }, "could not save the job's trajectory"));
      } while (this.dirty);
      this.saving = undefined;
    })();
  }

  /** Reads the earlier record again and puts this run's events after its own; false while it cannot. */
  private async catchUp(store: TrajectoryStore): Promise<boolean> {
    let earlier: Trajectory | undefined;
    try {
      earlier = await store.getTrajectory(this.trajectory.jobId);
    } catch (error) {
      this.logger.warn(
        { err: error },
        "could not read the job's trajectory; its new events are not saved yet",
      );
      return false;
    }
    this.earlierUnread = false;
    if (earlier) this.trajectory = continued(earlier, this.trajectory);
    return true;
  }
}
