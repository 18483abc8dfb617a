import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestModule, Vitest } from "vitest/node";
import { DURATIONS_FILE, readDurations } from "./order-slow-files-first.ts";

/**
 * With RECORD_FILE_DURATIONS=1, writes each file's wall time (set-up, import and tests) to
 * file-durations.json, which `order-slow-files-first` reads to start the slow files first. Run it
 * on a quiet machine after adding or changing slow tests (`RECORD_FILE_DURATIONS=1 npx vitest run`);
 * files that did not run keep their recorded time.
 */
export default class RecordFileDurations implements Reporter {
  private root = "";

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (process.env.RECORD_FILE_DURATIONS !== "1") return;
    const durations = testModules.map((module) => {
      const d = module.diagnostic();
      const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.duration;
      return [path.relative(this.root, module.moduleId).split(path.sep).join("/"), Math.round(ms)] as const;
    });
    const merged = Object.entries({ ...readDurations(), ...Object.fromEntries(durations) }).sort(
      ([a], [b]) => (a < b ? -1 : 1),
    );
    writeFileSync(DURATIONS_FILE, `${JSON.stringify(Object.fromEntries(merged), null, 2)}\n`);
  }
}
