import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAgentLoop, type AgentLimits } from "../../src/agent/agent-loop.ts";
import type { Model, ModelTurn } from "../../src/agent/model.ts";
import type { ModelPrice } from "../../src/agent/pricing.ts";
import { RunLog } from "../../src/jobs/run-log.ts";
import { defaultTools } from "../../src/agent/tools/default-tools.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { LimitsExceeded } from "../../src/errors.ts";
import { JobClock } from "../../src/agent/job-clock.ts";
import type { StepDelivery } from "../../src/gates/deliver-step.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { ProcessSandbox } from "../../src/sandbox/process-sandbox.ts";

const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-loop-")));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A model that always lists files, costing `tokens` per call. */
function listingModel(tokens: number, delayMs = 0): Model & { calls: number } {
  return {
    name: "fake",
    calls: 0,
    async complete(): Promise<ModelTurn> {
      this.calls += 1;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return {
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          tool_calls: [
            { id: `c${this.calls}`, type: "function", function: { name: "list_files", arguments: "{}" } },
          ],
        },
        usage: { promptTokens: tokens, cachedPromptTokens: 0, completionTokens: 0 },
      };
    },
  };
}

function run(model: Model, limits: Partial<AgentLimits>, price?: ModelPrice, clock = new JobClock()) {
  const log = new RunLog();
  const config = parseAgentConfig(undefined);
  const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "go" }];
  const promise = runAgentLoop({
    model,
    tools: defaultTools,
    messages,
    limits: { maxSteps: 100, maxMs: 60_000, maxTokens: 1_000_000, maxConsecutiveFormatErrors: 3, ...limits },
    price,
    context: {
      workspace,
      sandbox: new ProcessSandbox(path.join(workspace, "..", "scratch-loop")),
      config,
      paths: new PathPolicy(config.paths),
      log,
      clock,
      redact: (text) => text,
      publishable: (text) => text,
      remainingMs: () => 60_000,
      approvalFor: async () => ({ decision: "denied", by: "test" }),
      // The listing model never finishes, so nothing is ever delivered.
      delivery: {} as StepDelivery,
      signal: undefined,
    },
  });
  return { promise, log, messages };
}

describe("runAgentLoop limits", () => {
  it("stops before the call that would start over the token budget (overshoot ≤ one call)", async () => {
    const model = listingModel(400);
    const { promise, log } = run(model, { maxTokens: 1_000 });
    await expect(promise).rejects.toThrow(LimitsExceeded);
    await expect(promise).rejects.toThrow("token budget (1200 of 1000)");
    expect(model.calls).toBe(3);
    expect(log.totalTokens).toBe(1_200);
  });

  it("keeps a money budget the same way: one just under it goes on, one at it stops", async () => {
    // $1 per million prompt tokens: each 400-token call costs $0.0004.
    const price = { inputPerMillion: 1, outputPerMillion: 1 };
    const under = listingModel(400);
    const steps = run(under, { maxCostUsd: 0.00121, maxSteps: 4 }, price);
    await expect(steps.promise).rejects.toThrow("used all 4 turns"); // $0.0012 spent: still under
    const over = listingModel(400);
    const { promise, log } = run(over, { maxCostUsd: 0.001 }, price);
    await expect(promise).rejects.toThrow("money budget ($0.0012 of $0.001)");
    expect(over.calls).toBe(3);
    expect(log.usage.costUsd).toBeCloseTo(0.0012, 10);
  });

  it("stops at the wall-clock limit", async () => {
    const model = listingModel(1, 60);
    const { promise } = run(model, { maxMs: 150 });
    await expect(promise).rejects.toThrow("ran out of time");
    expect(model.calls).toBeLessThanOrEqual(4);
  });

  it("bounds a model call by the time left: one that does not answer is given up at the limit", async () => {
    let aborted = false;
    const hanging: Model = {
      name: "hanging",
      complete: ({ signal }) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          }),
        ),
    };
    const { promise } = run(hanging, { maxMs: 200 });
    await expect(promise).rejects.toThrow("ran out of time (0 s) without finishing");
    expect(aborted).toBe(true);
  });

  it("runs none of a turn's calls once the time is up", async () => {
    const model = listingModel(1);
    const clock = { elapsedMs: () => (model.calls >= 1 ? 1_000 : 0) } as JobClock;
    const { promise, messages } = run(model, { maxMs: 500 }, undefined, clock);
    await expect(promise).rejects.toThrow("ran out of time");
    expect(messages.filter((message) => message.role === "tool").map((message) => message.content)).toEqual([
      "skipped: the time limit was reached",
    ]);
  });

  it("still runs a call that ends the run once the time is up: the model had ended it in time", async () => {
    let asked = 0;
    const model: Model = {
      name: "late-finisher",
      async complete(): Promise<ModelTurn> {
        asked += 1;
        return {
          message: {
            role: "assistant",
            content: null,
            refusal: null,
            tool_calls: [
              { id: "a", type: "function", function: { name: "list_files", arguments: "{}" } },
              { id: "b", type: "function", function: { name: "give_up", arguments: '{"reason":"enough"}' } },
            ],
          },
          usage: { promptTokens: 1, cachedPromptTokens: 0, completionTokens: 0 },
        };
      },
    };
    const clock = { elapsedMs: () => (asked >= 1 ? 1_000 : 0) } as JobClock;
    const { promise, messages } = run(model, { maxMs: 500 }, undefined, clock);
    await expect(promise).resolves.toEqual({ kind: "gave_up", reason: "enough" });
    expect(messages.filter((message) => message.role === "tool").map((message) => message.content)).toEqual([
      "skipped: the time limit was reached",
      "stopping",
    ]);
  });

  it("counts steps exactly", async () => {
    const model = listingModel(1);
    const { promise, log } = run(model, { maxSteps: 4 });
    await expect(promise).rejects.toThrow("used all 4 turns");
    expect(model.calls).toBe(4);
    expect(log.turns).toBe(4);
  });
});
