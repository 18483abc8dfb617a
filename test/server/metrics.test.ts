import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Model, ModelTurn } from "../../src/agent/model.ts";
import { createIssueAgent } from "../../src/app.ts";
import { newJob, transition, type Job } from "../../src/jobs/job.ts";
import { Metrics } from "../../src/server/metrics.ts";
import { loadSettings } from "../../src/settings.ts";
import { freePort } from "../helpers/app-checkout.ts";
import { LogCapture, testProbot } from "../helpers/test-probot.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const turn: ModelTurn = {
  message: { role: "assistant", content: "ok", refusal: null },
  usage: { promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5 },
};
function fakeModel(name: string, fail: boolean): Model {
  return {
    name,
    complete: async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (fail) throw new Error("503 upstream unavailable");
      return turn;
    },
  };
}

describe("Prometheus metrics", () => {
  it("keeps Node's default metric names standard", async () => {
    const text = await new Metrics().registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_total_bytes /m);
    expect(text).not.toContain("issue_agent_process_");
  });

  it("collects Node's default metrics once per process, however many apps it loads", () => {
    // Each collection starts an event-loop monitor and a GC observer that live as long as the process.
    const lag = (metrics: Metrics) => metrics.registry.getSingleMetric("nodejs_eventloop_lag_seconds");
    const first = new Metrics();
    expect(lag(first)).toBeDefined();
    expect(lag(new Metrics())).toBe(lag(first));
  });

  it("times model calls and counts the failed ones, by model", async () => {
    const metrics = new Metrics();
    const ok = metrics.observeModel(fakeModel("gpt-5.1", false));
    const failing = metrics.observeModel(fakeModel("gpt-5.1", true));
    expect(ok.name).toBe("gpt-5.1");
    await ok.complete({ messages: [], tools: [] });
    await ok.complete({ messages: [], tools: [] });
    await expect(failing.complete({ messages: [], tools: [] })).rejects.toThrow("503 upstream unavailable");
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/issue_agent_model_call_duration_seconds_count\{model="gpt-5.1",outcome="ok"\} 2/);
    expect(text).toMatch(
      /issue_agent_model_call_duration_seconds_count\{model="gpt-5.1",outcome="error"\} 1/,
    );
    const sum = Number(
      /issue_agent_model_call_duration_seconds_sum\{model="gpt-5.1",outcome="ok"\} ([\d.e-]+)/.exec(
        text,
      )?.[1],
    );
    expect(sum).toBeGreaterThanOrEqual(0.03);
    expect(text).toMatch(/issue_agent_model_call_errors_total\{model="gpt-5.1"\} 1/);
  });

  it("labels tokens and cost with the repository and the model", async () => {
    const metrics = new Metrics(undefined, { defaultModel: "gpt-5.1" });
    const finished = (model: string | undefined): Job => {
      const job = newJob(
        {
          kind: "label",
          deliveryId: "d",
          installationId: 1,
          owner: "acme",
          repo: "widgets",
          issueNumber: 3,
          sender: "octocat",
          instructions: undefined,
          commentId: undefined,
        } as Job["trigger"],
        { agent: { model } } as Job["config"],
      );
      const done = transition(transition(job, "running", "started"), "succeeded", "done");
      return {
        ...done,
        usage: {
          promptTokens: 100,
          cachedPromptTokens: 40,
          completionTokens: 20,
          modelCalls: 1,
          costUsd: 0.5,
        },
      };
    };
    metrics.observeJob(finished(undefined));
    metrics.observeJob(finished("gpt-6-luna"));
    const text = await metrics.registry.metrics();
    expect(text).toContain('issue_agent_tokens_total{kind="prompt",repo="acme/widgets",model="gpt-5.1"} 100');
    expect(text).toContain(
      'issue_agent_tokens_total{kind="cached_prompt",repo="acme/widgets",model="gpt-6-luna"} 40',
    );
    expect(text).toContain('issue_agent_cost_usd_total{repo="acme/widgets",model="gpt-5.1"} 0.5');
  });
});

describe("/metrics on its own port", () => {
  let dir: string | undefined;
  let agent: ReturnType<typeof createIssueAgent> | undefined;
  afterEach(async () => {
    await agent?.shutdown(0);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is served on ISSUE_AGENT_METRICS_PORT and not next to the webhooks", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "metrics-port-"));
    const port = await freePort();
    agent = createIssueAgent({
      settings: loadSettings({
        ISSUE_AGENT_DB: path.join(dir, "state.db"),
        ISSUE_AGENT_METRICS_PORT: String(port),
      }),
      env: {},
    });
    const handlers: Array<
      (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean> | boolean
    > = [];
    await testProbot(new LogCapture()).load(agent.app, {
      cwd: process.cwd(),
      addHandler: (handler) => handlers.push(handler as (typeof handlers)[number]),
    });
    const separate = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(separate.status).toBe(200);
    expect(await separate.text()).toContain("issue_agent_webhook_handling_seconds");

    // The webhook port still answers health and readiness, but has no /metrics.
    const handledOnPublicPort = async (url: string) => {
      const req = { method: "GET", url } as http.IncomingMessage;
      const res = { writeHead: () => res, end: () => res } as unknown as http.ServerResponse;
      for (const handler of handlers) if (await handler(req, res)) return true;
      return false;
    };
    expect(await handledOnPublicPort("/healthz")).toBe(true);
    expect(await handledOnPublicPort("/metrics")).toBe(false);
  });
});
