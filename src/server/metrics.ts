import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Model } from "../agent/model.ts";
import type { Job } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";

/**
 * The app's Prometheus metrics. One registry per process; receivers record webhook handling,
 * whichever process runs a job records the job.
 */
export class Metrics {
  /** The app's own metrics and the process's (Node's defaults), as served. */
  readonly registry: Registry;
  private readonly own = new Registry();
  private readonly webhookSeconds = new Histogram({
    name: "issue_agent_webhook_handling_seconds",
    help: "Time from receiving a webhook to answering it (validate, drop redeliveries, record).",
    labelNames: ["event"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.own],
  });
  private readonly jobsFinished = new Counter({
    name: "issue_agent_jobs_finished_total",
    help: "Jobs that ended, by final state.",
    labelNames: ["state"],
    registers: [this.own],
  });
  private readonly jobSeconds = new Histogram({
    name: "issue_agent_job_duration_seconds",
    help: "Time from a job's start to its end.",
    labelNames: ["state"],
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [this.own],
  });
  private readonly queueWaitSeconds = new Histogram({
    name: "issue_agent_queue_wait_seconds",
    help: "Time a job waited in the queue before it started.",
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.own],
  });
  private readonly tokens = new Counter({
    name: "issue_agent_tokens_total",
    help: "Model tokens used by jobs, by kind, repository and model.",
    labelNames: ["kind", "repo", "model"],
    registers: [this.own],
  });
  private readonly cost = new Counter({
    name: "issue_agent_cost_usd_total",
    help: "What jobs' model calls cost, in US dollars, from each model's price (jobs without a known price are not counted).",
    labelNames: ["repo", "model"],
    registers: [this.own],
  });
  private readonly modelCallSeconds = new Histogram({
    name: "issue_agent_model_call_duration_seconds",
    help: "Time one model call took (request to complete answer, retries included), by model and outcome.",
    labelNames: ["model", "outcome"],
    buckets: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.own],
  });
  private readonly modelErrors = new Counter({
    name: "issue_agent_model_call_errors_total",
    help: "Model calls that failed (after the client's retries), by model.",
    labelNames: ["model"],
    registers: [this.own],
  });
  /** The model of jobs whose .github/agent.yml names none (ISSUE_AGENT_MODEL). */
  private readonly defaultModel: string;
  private readonly gates = new Counter({
    name: "issue_agent_gate_outcomes_total",
    help: "Gate verdicts, by gate and outcome.",
    labelNames: ["gate", "status"],
    registers: [this.own],
  });

  constructor(store?: JobStore, options: { defaultModel?: string } = {}) {
    this.defaultModel = options.defaultModel ?? "unknown";
    if (store) {
      new Gauge({
        name: "issue_agent_jobs_active",
        help: "Jobs queued, running or waiting for a human's answer now, by state.",
        labelNames: ["state"],
        registers: [this.own],
        async collect() {
          const active = await store.listActive();
          for (const state of ["queued", "running", "waiting_for_human"])
            this.set({ state }, active.filter((job) => job.state === state).length);
        },
      });
    }
    this.registry = Registry.merge([this.own, processMetrics()]);
  }

  /** The same model, with each call's duration and failure recorded. */
  observeModel(model: Model): Model {
    const seconds = this.modelCallSeconds;
    const errors = this.modelErrors;
    return {
      name: model.name,
      async complete(request) {
        const end = seconds.startTimer({ model: model.name });
        try {
          const turn = await model.complete(request);
          end({ outcome: "ok" });
          return turn;
        } catch (error) {
          end({ outcome: "error" });
          errors.inc({ model: model.name });
          throw error;
        }
      },
    };
  }

  observeWebhook(event: string, seconds: number): void {
    this.webhookSeconds.observe({ event }, seconds);
  }

  /** Records a job once it has ended. */
  observeJob(job: Job): void {
    if (job.state === "queued" || job.state === "running" || job.state === "waiting_for_human") return;
    this.jobsFinished.inc({ state: job.state });
    if (job.startedAt) {
      this.jobSeconds.observe(
        { state: job.state },
        (Date.parse(job.updatedAt) - Date.parse(job.startedAt)) / 1_000,
      );
      this.queueWaitSeconds.observe((Date.parse(job.startedAt) - Date.parse(job.createdAt)) / 1_000);
    }
    if (job.usage) {
      const labels = {
        repo: `${job.trigger.owner}/${job.trigger.repo}`,
        model: job.config.agent?.model ?? this.defaultModel,
      };
      this.tokens.inc({ kind: "prompt", ...labels }, job.usage.promptTokens);
      this.tokens.inc({ kind: "completion", ...labels }, job.usage.completionTokens);
      this.tokens.inc({ kind: "cached_prompt", ...labels }, job.usage.cachedPromptTokens ?? 0);
      if (job.usage.costUsd !== undefined) this.cost.inc(labels, job.usage.costUsd);
    }
    for (const outcome of job.gateOutcomes) this.gates.inc(outcome);
  }
}

let defaults: Registry | undefined;

/**
 * Node's default metrics, collected once per process: each collection starts an event-loop monitor
 * and a GC observer that are never stopped, so a process that loads the app more than once (tests,
 * a restart in place) would otherwise gather them, and every app they keep alive.
 */
function processMetrics(): Registry {
  if (!defaults) {
    defaults = new Registry();
    // Unprefixed, so the standard dashboards and alerts for Node processes work as they are.
    collectDefaultMetrics({ register: defaults });
  }
  return defaults;
}
