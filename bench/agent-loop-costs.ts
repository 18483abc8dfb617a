// Costs of the agent loop itself: the harness's overhead per step and the prompt tokens a context
// budget saves. See docs/benchmarks.md.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runAgentLoop } from "../src/agent/agent-loop.ts";
import { conversationTokens } from "../src/agent/context-budget.ts";
import { JobClock } from "../src/agent/job-clock.ts";
import type { Model } from "../src/agent/model.ts";
import { RunLog } from "../src/jobs/run-log.ts";
import { defaultTools } from "../src/agent/tools/default-tools.ts";
import { parseAgentConfig } from "../src/config/parse-agent-config.ts";
import type { StepDelivery } from "../src/gates/deliver-step.ts";
import { PathPolicy } from "../src/guardrails/paths/path-policy.ts";
import { ProcessSandbox } from "../src/sandbox/process-sandbox.ts";
import { ms, reportRatio, type RatioResult } from "./measure.ts";

export async function stepOverhead(): Promise<void> {
  const steps = 200;
  const workspace = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-steps-"));
  let modelMs = 0;
  let turn = 0;
  const model: Model = {
    name: "bench",
    async complete() {
      const started = performance.now();
      turn += 1;
      const message =
        turn >= steps
          ? { name: "give_up", arguments: JSON.stringify({ reason: "done" }) }
          : {
              name: "update_plan",
              arguments: JSON.stringify({ steps: [{ title: `step ${turn}`, status: "in_progress" }] }),
            };
      const result = {
        message: {
          role: "assistant" as const,
          content: null,
          refusal: null,
          tool_calls: [{ id: `c${turn}`, type: "function" as const, function: message }],
        },
        usage: { promptTokens: 1, cachedPromptTokens: 0, completionTokens: 1 },
      };
      modelMs += performance.now() - started;
      return result;
    },
  };
  const config = parseAgentConfig(undefined);
  const started = performance.now();
  await runAgentLoop({
    model,
    tools: defaultTools,
    messages: [{ role: "user", content: "go" }],
    limits: { maxSteps: steps + 1, maxMs: 60_000, maxTokens: 1e9, maxConsecutiveFormatErrors: 3 },
    context: {
      workspace,
      sandbox: new ProcessSandbox(path.join(workspace, "..", "bench-scratch")),
      config,
      paths: new PathPolicy(config.paths),
      log: new RunLog(),
      clock: new JobClock(),
      redact: (text) => text,
      publishable: (text) => text,
      remainingMs: () => 60_000,
      approvalFor: async () => ({ decision: "denied", by: "bench" }),
      delivery: {} as StepDelivery,
      signal: undefined,
    },
  });
  const total = performance.now() - started;
  console.log(`harness overhead per agent step (scripted in-process model, no commands), ${steps} steps:`);
  console.log(
    `  ${(((total - modelMs) / steps) * 1000).toFixed(0)} µs per step (total ${ms(total)}, of which model ${ms(modelMs)})`,
  );
  rmSync(workspace, { recursive: true, force: true });
}

/**
 * Prompt tokens sent over one fixed 30-step trajectory whose tool results are large (each step
 * reads a different 300-line file), with the context budget against the same run without it.
 */
export async function tokenEfficiency(): Promise<RatioResult> {
  const steps = 30;
  const workspace = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-tokens-"));
  for (let i = 0; i < steps; i += 1) {
    const lines = Array.from(
      { length: 300 },
      (_, n) => `export const value${i}_${n} = compute(${n}, "${"x".repeat(20)}");`,
    );
    writeFileSync(path.join(workspace, `module${i}.ts`), `${lines.join("\n")}\n`);
  }
  const run = async (maxContextTokens: number | undefined) => {
    let sent = 0;
    let turn = 0;
    const model: Model = {
      name: "bench",
      async complete(request) {
        sent += conversationTokens(request.messages);
        turn += 1;
        const call =
          turn > steps
            ? { name: "give_up", arguments: JSON.stringify({ reason: "done" }) }
            : { name: "read_file", arguments: JSON.stringify({ path: `module${turn - 1}.ts` }) };
        return {
          message: {
            role: "assistant" as const,
            content: null,
            refusal: null,
            tool_calls: [{ id: `c${turn}`, type: "function" as const, function: call }],
          },
          usage: { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0 },
        };
      },
    };
    const config = parseAgentConfig(undefined);
    const log = new RunLog();
    await runAgentLoop({
      model,
      tools: defaultTools,
      messages: [{ role: "user", content: "Read every module, then stop." }],
      limits: {
        maxSteps: steps + 2,
        maxMs: 600_000,
        maxTokens: 1e12,
        maxContextTokens,
        maxConsecutiveFormatErrors: 3,
      },
      context: {
        workspace,
        sandbox: new ProcessSandbox(path.join(workspace, "..", "bench-token-scratch")),
        config,
        paths: new PathPolicy(config.paths),
        log,
        clock: new JobClock(),
        redact: (text) => text,
        publishable: (text) => text,
        remainingMs: () => 600_000,
        approvalFor: async () => ({ decision: "denied", by: "bench" }),
        delivery: {} as StepDelivery,
        signal: undefined,
      },
    });
    return { sent, elided: log.elidedToolOutputs };
  };
  const budget = 20_000;
  const plain = await run(undefined);
  const fitted = await run(budget);
  console.log(
    `token efficiency, ${steps}-step trajectory reading a 300-line file per step (tokens counted with o200k_base):`,
  );
  console.log(`  prompt tokens sent without a context budget: ${plain.sent.toLocaleString("en-US")}`);
  console.log(
    `  with agent.context_tokens = ${budget.toLocaleString("en-US")}: ${fitted.sent.toLocaleString("en-US")} (${fitted.elided} older outputs left out)`,
  );
  rmSync(workspace, { recursive: true, force: true });
  return reportRatio("prompt tokens sent with a context budget over without", fitted.sent / plain.sent, 0.6);
}
