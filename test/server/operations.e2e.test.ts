import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockJob,
  mockPermission,
  mockRepoConfig,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { call } from "../helpers/scripted-model-server.ts";

let harness: Harness | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  await harness?.close();
  harness = undefined;
});

describe("operations endpoints", () => {
  it("serve health, readiness and Prometheus metrics that reflect webhooks, jobs and gates", async () => {
    harness = await startHarness({
      script: [
        call("write_file", { path: "docs/usage.md", content: "How to use it.\n" }),
        call("finish", { title: "Document usage", summary: "Adds docs.", rationale: "Asked for." }),
      ],
    });
    const h = harness;
    server = http.createServer(async (req, res) => {
      for (const handler of h.handlers) if (await handler(req, res)) return;
      res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);

    const record = newRecord();
    mockInstallationToken();
    // USD per million tokens: 2 for prompt tokens, 0.5 for cached ones, 8 for completion tokens.
    mockRepoConfig(
      "agent:\n  price: { input_per_million: 2, cached_input_per_million: 0.5, output_per_million: 8 }\n",
    );
    mockPermission("maintainer", "write");
    mockJob(record, {
      cloneUrl: h.cloneUrl,
      issueNumber: 5,
      issueTitle: "Document usage",
      issueBody: "",
      baseSha: headOf(h.bare, "main"),
      expectPullRequest: true,
    });
    await h.probot.receive({ id: "d-ops", ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 5 }) });
    await h.agent.idle();

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/issue_agent_webhook_handling_seconds_count\{event="issues.labeled"\} 1/);
    expect(metrics).toMatch(/issue_agent_jobs_finished_total\{state="succeeded"\} 1/);
    const labels = `repo="${OWNER}/${REPO}",model="test-model"`;
    expect(metrics).toContain(`issue_agent_tokens_total{kind="prompt",${labels}} 200`);
    expect(metrics).toContain(`issue_agent_tokens_total{kind="cached_prompt",${labels}} 60`);
    expect(metrics).toMatch(
      /issue_agent_model_call_duration_seconds_count\{model="test-model",outcome="ok"\} 2/,
    );
    // Two calls of 70 uncached + 30 cached prompt tokens and 20 completion tokens each.
    const cost = Number(
      new RegExp(`^issue_agent_cost_usd_total\\{${labels}\\} ([\\d.e-]+)$`, "m").exec(metrics)?.[1],
    );
    expect(cost).toBeCloseTo((2 * (70 * 2 + 30 * 0.5 + 20 * 8)) / 1_000_000, 12);
    expect(metrics).toMatch(/issue_agent_gate_outcomes_total\{gate="test-first",status="skipped"\} 1/);
    expect(metrics).toMatch(/issue_agent_job_duration_seconds_count\{state="succeeded"\} 1/);
    expect(metrics).toMatch(/issue_agent_jobs_active\{state="running"\} 0/);
    expect(record.pulls).toHaveLength(1);

    await h.agent.shutdown(1_000);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });
});
