import type { ApplicationFunctionOptions, Probot } from "probot";
import { operationsHandler } from "../server/health-handler.ts";
import { startMetricsServer } from "../server/metrics-server.ts";
import type { Settings } from "../settings.ts";
import { jobPageConfig, jobPageHandler } from "../web/job-page-handler.ts";
import type { JobState } from "./open-job-state.ts";

/**
 * What the receiving process serves besides webhooks: health and readiness, the metrics (on
 * their own port when one is set) and, when configured, each job's page.
 */
export function serveOperations(options: {
  addHandler: ApplicationFunctionOptions["addHandler"];
  probot: Probot;
  settings: Settings;
  env: NodeJS.ProcessEnv;
  state: JobState;
  shuttingDown: () => boolean;
}): { close(): Promise<void> } | undefined {
  const { addHandler, settings, state } = options;
  const metricsServer =
    settings.ISSUE_AGENT_METRICS_PORT === undefined
      ? undefined
      : startMetricsServer({
          port: settings.ISSUE_AGENT_METRICS_PORT,
          host: options.env.HOST ?? "0.0.0.0",
          metrics: state.metrics,
          onError: (error) => options.probot.log.warn({ err: error }, "metrics endpoint unavailable"),
        });
  addHandler(
    operationsHandler({
      ready: async () => !options.shuttingDown() && (await state.ready()),
      metrics: metricsServer ? undefined : state.metrics,
    }),
  );
  const pages = jobPageConfig(options.env, settings.ISSUE_AGENT_PUBLIC_URL);
  if (pages) addHandler(jobPageHandler({ config: pages, store: state.trajectories }));
  return metricsServer;
}
