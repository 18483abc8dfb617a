import { defineConfig } from "vitest/config";
import OrderSlowFilesFirst from "./test/reporters/order-slow-files-first.ts";

const E2E = "test/**/*.e2e.test.ts";
/** Unit files that change process-wide state (process.env, Node's default metrics). */
const STATEFUL = [
  "test/sandbox/bubblewrap-sandbox.test.ts",
  "test/sandbox/process-sandbox.test.ts",
  "test/server/metrics.test.ts",
];

export default defineConfig({
  test: {
    reporters: [
      "default",
      "./test/reporters/plain-summary-reporter.ts",
      "./test/reporters/record-file-durations.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default for `run` is one worker less than the cores: a single worker on a 2-core CI
    // machine, which then runs ~100 files one after the other. The end-to-end files spend much of
    // their time waiting (on git, the sandbox, the job's timers): with three workers the cores still
    // idled a fifth of the run, with four the whole suite ran 399 s -> 357 s on a 2-core machine.
    // Once the end-to-end files shared their workers, a fifth took `npm test` 158 s -> 147 s.
    // ISSUE_AGENT_TEST_WORKERS overrides it (e.g. 1 to debug a run).
    maxWorkers: Number(process.env.ISSUE_AGENT_TEST_WORKERS ?? 5),
    sequence: { sequencer: OrderSlowFilesFirst },
    projects: [
      // End-to-end files share their workers too: loading the harness and the app cost each file
      // 3.6 s of CPU in a fresh one. Each file closes the apps and servers it starts, and the setup
      // file clears what nock was told, so a file never sees an earlier file's interceptors.
      {
        extends: true,
        test: { name: "e2e", include: [E2E], isolate: false, setupFiles: ["test/helpers/e2e-setup.ts"] },
      },
      { extends: true, test: { name: "isolated", include: STATEFUL } },
      // Unit files share their workers and the modules already loaded (about half a second of CPU
      // a file saved); they keep no process-wide state, so the order they run in does not matter.
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [E2E, ...STATEFUL],
          isolate: false,
        },
      },
    ],
  },
});
