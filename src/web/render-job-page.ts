import type { Trajectory, TrajectoryEvent } from "../trajectory/trajectory.ts";
import type { TrajectorySummary } from "../trajectory/trajectory-store.ts";
import { html, type Html } from "./html.ts";
import { LIVE_SCRIPT_PATH } from "./live-update-script.ts";
import { layout } from "./page-layout.ts";
import { deliveredStep, eventLine, output, seconds, time, usd, type Event } from "./render-events.ts";

/** While a job runs, its page fetches itself this often and shows what changed. */
export const LIVE_REFRESH_SECONDS = 5;
const RUNNING = new Set(["queued", "running"]);

function ledger(models: Array<Event<"model">>): Html {
  const total = models.reduce(
    (sum, m) => ({
      tokens: sum.tokens + m.promptTokens + m.completionTokens,
      cost: sum.cost + (m.costUsd ?? 0),
    }),
    { tokens: 0, cost: 0 },
  );
  const most = Math.max(1, ...models.map((m) => m.promptTokens + m.completionTokens));
  const priced = models.some((m) => m.costUsd !== undefined);
  return html`<table>
    <tr>
      <th>call</th>
      <th>tokens (prompt / cached / completion)</th>
      <th></th>
      <th>cost</th>
      <th>latency</th>
    </tr>
    ${models.map(
      (m, index) =>
        html`<tr>
          <td>${index + 1}</td>
          <td>${m.promptTokens} / ${m.cachedPromptTokens} / ${m.completionTokens}</td>
          <td><progress max="${most}" value="${m.promptTokens + m.completionTokens}"></progress></td>
          <td>${usd(m.costUsd)}</td>
          <td>${seconds(m.durationMs)}</td>
        </tr>`,
    )}
    <tr>
      <th>total</th>
      <th>${total.tokens} tokens</th>
      <th></th>
      <th>${priced ? usd(total.cost) : "n/a"}</th>
      <th></th>
    </tr>
  </table>`;
}

function timeSpent(events: TrajectoryEvent[]): Html {
  const sum = (kind: string) =>
    events.reduce(
      (ms, e) =>
        ms +
        ((e.kind === kind || (kind === "command" && e.kind === "tool" && e.command)) && "durationMs" in e
          ? e.durationMs
          : 0),
      0,
    );
  const model = sum("model");
  const command = sum("command");
  const tools = sum("tool") - command;
  const all = Math.max(1, model + command + tools);
  const row = (label: string, ms: number) =>
    html`<tr>
      <td>${label}</td>
      <td><progress max="${all}" value="${ms}"></progress></td>
      <td>${seconds(ms)}</td>
    </tr>`;
  return html`<table>
    ${row("model", model)}${row("commands", command)}${row("other tools", tools)}
  </table>`;
}

function planSection(plans: Array<Event<"plan">>): Html {
  if (plans.length === 0) return html`<p class="muted">No plan stated.</p>`;
  const history = plans
    .slice(0, -1)
    .map((p) => `${time(p.at)}\n${p.steps.map((s) => `- [${s.status}] ${s.title}`).join("\n")}`)
    .join("\n\n");
  return html`<ol>
      ${plans.at(-1)!.steps.map((s) => html`<li class="${s.status}">${s.title} (${s.status.replace("_", " ")})</li>`)}
    </ol>
    ${plans.length > 1 ? output("plan-history", `earlier versions (${plans.length - 1})`, history) : ""}`;
}

/**
 * A job's page: what the agent saw, did and proved. Every text in it is escaped. While the job runs,
 * `<main>` carries `data-live`, and the page's script (or, without script, a refresh) updates it.
 */
export function renderJobPage(
  trajectory: Trajectory,
  nonce: string,
  options: { file?: boolean } = {},
): string {
  const { events } = trajectory;
  const models = events.filter((e): e is Event<"model"> => e.kind === "model");
  const plans = events.filter((e): e is Event<"plan"> => e.kind === "plan");
  const gates = events.filter((e): e is Event<"gate"> => e.kind === "gate");
  const steps = events.filter((e): e is Event<"step"> => e.kind === "step");
  const live = RUNNING.has(trajectory.state) && !options.file;
  const body = html`<main
    id="job"
    data-updated="${trajectory.updatedAt}"
    ${live ? html`data-live="${LIVE_REFRESH_SECONDS}"` : ""}
  >
    <p class="muted">
      <a href="/repos/${trajectory.repository}/jobs">${trajectory.repository}</a> · job ${trajectory.jobId}
    </p>
    <h1>#${trajectory.issueNumber} ${trajectory.issueTitle}</h1>
    <p>
      State: <strong class="${trajectory.state}">${trajectory.state}</strong> · started
      ${trajectory.startedAt} · updated ${trajectory.updatedAt}
      ${live ? html` · <span class="muted">this page updates every ${LIVE_REFRESH_SECONDS} s while the job runs</span>` : ""}
    </p>
    ${trajectory.cut ? html`<p class="muted">${trajectory.cut} outputs were cut to keep this log within its size limit.</p>` : ""}
    <h2>Where the time went</h2>
    ${timeSpent(events)}
    <h2>Plan</h2>
    ${planSection(plans)}
    <h2 id="steps">Delivered steps</h2>
    ${
      steps.length === 0
        ? html`<p class="muted">No step delivered.</p>`
        : html`<ol>
            ${steps.map((step, index) => deliveredStep(step, index))}
          </ol>`
    }
    <h2>Gates</h2>
    ${
      gates.length === 0
        ? html`<p class="muted">No gate ran.</p>`
        : html`<ul>
            ${gates.map((g, index) => html`<li>${eventLine(g, `gate-${index}`)}</li>`)}
          </ul>`
    }
    <h2>Cost ledger</h2>
    ${ledger(models)}
    <h2>Timeline</h2>
    <ol class="timeline">
      ${events.map((e, index) => html`<li><span class="muted">${time(e.at)}</span> ${eventLine(e, `event-${index}`)}</li>`)}
    </ol>
  </main>`;
  return layout({
    title: `#${trajectory.issueNumber} ${trajectory.issueTitle} · issue-agent`,
    nonce,
    body,
    embedPolicy: options.file === true,
    ...(live ? { live: { seconds: LIVE_REFRESH_SECONDS, script: LIVE_SCRIPT_PATH } } : {}),
  });
}

/** A repository's recent jobs, newest first. */
export function renderJobList(repository: string, jobs: TrajectorySummary[], nonce: string): string {
  const body = html`<h1>Recent jobs on ${repository}</h1>
    ${
      jobs.length === 0
        ? html`<p class="muted">No job logs kept.</p>`
        : html`<table>
            <tr>
              <th>started</th>
              <th>issue</th>
              <th>state</th>
            </tr>
            ${jobs.map(
              (job) =>
                html`<tr>
                  <td>${job.startedAt}</td>
                  <td><a href="/jobs/${job.jobId}">#${job.issueNumber} ${job.issueTitle}</a></td>
                  <td class="${job.state}">${job.state}</td>
                </tr>`,
            )}
          </table>`
    }`;
  return layout({ title: `Jobs on ${repository} · issue-agent`, nonce, body });
}
