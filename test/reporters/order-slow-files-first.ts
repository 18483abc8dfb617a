import { readFileSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Where `record-file-durations` keeps each file's last measured wall time (ms). */
export const DURATIONS_FILE = path.join(import.meta.dirname, "file-durations.json");

/** A file not measured yet: an end-to-end file is assumed slow (it starts early), any other quick. */
const UNMEASURED_E2E_MS = 20_000;
const UNMEASURED_MS = 1_000;

export function readDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * Starts the longest files first, so that no long file starts last and leaves one worker running
 * it alone at the end (longest-processing-time-first scheduling). A fresh clone in CI has no
 * vitest cache to rank files by, so the ranking comes from the committed file-durations.json.
 */
export default class OrderSlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = readDurations();
    const root = this.ctx.config.root;
    const weight = (spec: TestSpecification) => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join("/");
      return known[file] ?? (file.endsWith(".e2e.test.ts") ? UNMEASURED_E2E_MS : UNMEASURED_MS);
    };
    const base = await super.sort(files);
    // Array.prototype.sort is stable: files of equal weight keep the base sequencer's order.
    return base.sort((a, b) => weight(b) - weight(a));
  }
}
