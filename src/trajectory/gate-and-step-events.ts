import type { DeliveredStep, GateResult } from "../jobs/run-log.ts";
import { MAX_DIFF_CHARS, type TrajectoryEvent } from "./trajectory.ts";

/** Redacts, then clips a text for the record (see TrajectoryRecorder). */
type Keep = (text: string, max?: number) => string;

/** A gate's verdict with its evidence (test runs, lint output), every text kept through `keep`. */
export function gateEvent(gate: GateResult, keep: Keep): TrajectoryEvent {
  return {
    kind: "gate",
    at: new Date().toISOString(),
    gate: gate.gate,
    status: gate.status,
    detail: keep(gate.detail),
    evidence: (gate.excerpts ?? []).map((excerpt) => ({
      title: keep(excerpt.title, 500),
      text: keep(excerpt.text),
    })),
  };
}

/** A delivered step and its diff, every text kept through `keep`. */
export function stepEvent(step: DeliveredStep, diff: string, keep: Keep): TrajectoryEvent {
  return {
    kind: "step",
    at: new Date().toISOString(),
    title: keep(step.title, 1_000),
    sha: step.sha,
    files: step.files.map((file) => ({ ...file, path: keep(file.path, 1_000) })),
    diff: keep(diff, MAX_DIFF_CHARS),
  };
}
