/**
 * A job's trajectory: what the agent saw, did and proved, in order. Kept with the job in the job
 * store for the job's page; every text in it was redacted before it was recorded.
 */
export type TrajectoryEvent =
  | {
      kind: "model";
      at: string;
      durationMs: number;
      promptTokens: number;
      cachedPromptTokens: number;
      completionTokens: number;
      costUsd: number | undefined;
      /** The messages added since the previous call: the conversation is append-only, so this is the diff. */
      sent: Array<{ role: string; text: string }>;
      /** What came back: the assistant's text and the tool calls it asked for. */
      text: string;
      toolCalls: Array<{ name: string; arguments: string }>;
    }
  | {
      kind: "tool";
      at: string;
      durationMs: number;
      name: string;
      arguments: string;
      output: string;
      /** When the tool ran a command: how it ended. */
      command?: { command: string; exitCode: number | null; timedOut: boolean; durationMs: number };
    }
  | {
      kind: "gate";
      at: string;
      gate: string;
      status: string;
      detail: string;
      evidence: Array<{ title: string; text: string }>;
    }
  /** A step that passed its gates and was kept: it becomes a pull request (or a pushed commit). */
  | {
      kind: "step";
      at: string;
      title: string;
      sha: string;
      files: Array<{ path: string; added: number; removed: number }>;
      /** The step's unified diff, redacted and clipped (see MAX_DIFF_CHARS). */
      diff: string;
    }
  | { kind: "plan"; at: string; steps: Array<{ title: string; status: string }> }
  /** A note on the status comment: a maintainer's message, an approval, a restart, a question. */
  | { kind: "note"; at: string; text: string }
  | { kind: "verdict"; at: string; conclusion: string; headline: string; detail: string };

export interface Trajectory {
  jobId: string;
  /** `owner/repo`, lower case: the page lists a repository's recent jobs by it. */
  repository: string;
  issueNumber: number;
  issueTitle: string;
  state: string;
  startedAt: string;
  updatedAt: string;
  /** Outputs cut to keep the record within its size limit. */
  cut: number;
  events: TrajectoryEvent[];
}

/** One output longer than this keeps its head and tail. */
export const MAX_TEXT_CHARS = 16_000;
/** A step's diff keeps this much (head and tail); a step is small, its diff limit sees to that. */
export const MAX_DIFF_CHARS = 64_000;
/** A job's whole record stays below this; the oldest large outputs go first. */
export const MAX_TRAJECTORY_CHARS = 1_500_000;

/** Keeps the head and the tail of a long text, which is where errors and summaries are. */
export function clip(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  const keep = Math.floor((max - 60) / 2);
  const cut = text.length - 2 * keep;
  return `${text.slice(0, keep)}\n[… ${cut} characters cut …]\n${text.slice(-keep)}`;
}

const BULKY = ["output", "text", "detail", "diff"] as const;

/**
 * The trajectory within `max` characters of JSON: the largest texts of the oldest events are
 * replaced by a marker until it fits. The newest events (the verdict, the last failures) survive.
 */
export function bound(trajectory: Trajectory, max = MAX_TRAJECTORY_CHARS): Trajectory {
  let size = JSON.stringify(trajectory).length;
  if (size <= max) return trajectory;
  const events = trajectory.events.map((event) => ({ ...event }) as Record<string, unknown>);
  let cut = trajectory.cut;
  for (const event of events) {
    for (const field of BULKY) {
      const value = event[field];
      if (typeof value !== "string" || value.length < 200) continue;
      const marker = `[${value.length} characters cut: the job's log reached its size limit]`;
      size -= JSON.stringify(value).length - JSON.stringify(marker).length;
      event[field] = marker;
      cut += 1;
    }
    const evidence = event.evidence as Array<{ title: string; text: string }> | undefined;
    if (evidence) {
      event.evidence = evidence.map((item) => {
        size -= JSON.stringify(item.text).length;
        return { title: item.title, text: "[cut: the job's log reached its size limit]" };
      });
    }
    const sent = event.sent as Array<{ role: string; text: string }> | undefined;
    if (sent) {
      size -= JSON.stringify(sent).length;
      event.sent = [];
    }
    if (size <= max) break;
  }
  const bounded = { ...trajectory, cut, events: events as unknown as TrajectoryEvent[] };
  // Still too large (an enormous number of small events): the oldest events go entirely.
  while (JSON.stringify(bounded).length > max && bounded.events.length > 1) {
    const drop = Math.max(1, Math.floor(bounded.events.length / 10));
    bounded.events.splice(0, drop);
    bounded.cut += drop;
  }
  return bounded;
}

/** The earlier record of a job with a later run's record after it (title, state and time the later's). */
export function continued(earlier: Trajectory, later: Trajectory): Trajectory {
  return bound({
    ...earlier,
    state: later.state,
    updatedAt: later.updatedAt,
    issueTitle: later.issueTitle || earlier.issueTitle,
    cut: earlier.cut + later.cut,
    events: [...earlier.events, ...later.events],
  });
}
