import { describe, expect, it } from "vitest";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

// Every scripted answer reports 100 prompt tokens (30 cached) and 20 completion tokens, so at these
// prices each model call costs $0.001 + $0.001 = $0.002.
const priced = (maxCostUsd: number) =>
  `agent:\n  max_cost_usd: ${maxCostUsd}\n  price:\n    input_per_million: 10\n    cached_input_per_million: 10\n    output_per_million: 50\n`;

const script = () => [
  call("read_file", { path: "src/greet.js" }),
  testGreeting,
  fixGreeting,
  call("finish", { title: "Punctuate the greeting", summary: "Done.", rationale: "As asked." }),
];

describe("a job's money budget, checked before every model call", () => {
  it("lets a job that stays just under it finish, and shows what it cost", async () => {
    const { h, record } = await runLabeledJob(script(), { config: priced(0.0081), pullRequests: 1 });
    expect(h.model.requests).toHaveLength(4);
    expect(record.pulls[0]!.body).toContain("$0.0080");
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ conclusion: "success" });
  });

  it("stops a job whose spending reaches it mid-run, before the next call, and publishes nothing", async () => {
    const { h, record } = await runLabeledJob(script(), { config: priced(0.005) });
    // Three calls spent $0.006: at the budget, so the fourth (the finish) is never asked for.
    expect(h.model.requests).toHaveLength(3);
    expect(record.pulls).toEqual([]);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.title).toBe("stopped: a limit was reached");
    expect(final.output.summary).toContain(
      "The agent used its money budget ($0.0060 of $0.005) without finishing.",
    );
    expect(final.output.summary).toContain("Raise `agent.max_cost_usd` in .github/agent.yml");
    expect(final.output.summary).toContain(
      "3 model calls · 300 prompt (90 cached) + 60 completion tokens · $0.0060",
    );
    expect(final.output.summary).toMatch(/· \$0\.0060 · 0 commands · \d+ s<\/sub>/);
    expect(record.commentEdits.at(-1)!.body).toContain("❌ issue-agent: stopped: a limit was reached");
  });
});

describe("a job's time limit", () => {
  it("also bounds a model call that does not answer, and says which limit to raise", async () => {
    const started = Date.now();
    const { h, record } = await runLabeledJob(
      [
        async () => {
          // An endpoint that hangs far past the job's 3 s (the SDK's own timeout is 10 minutes).
          await new Promise((resolve) => setTimeout(resolve, 20_000));
          return call("give_up", { reason: "too late" });
        },
      ],
      { config: "agent:\n  max_minutes: 0.05\n" },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(h.model.requests).toHaveLength(1);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.title).toBe("stopped: a limit was reached");
    expect(final.output.summary).toContain("The agent ran out of time (3 s) without finishing.");
    expect(final.output.summary).toContain("Raise `agent.max_minutes` in .github/agent.yml");
  });
});
