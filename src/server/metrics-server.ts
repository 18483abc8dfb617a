import http from "node:http";
import type { Metrics } from "./metrics.ts";

/**
 * `/metrics` on a port of its own (ISSUE_AGENT_METRICS_PORT), so Prometheus can scrape it on an
 * internal network while the webhook port faces the internet without exposing it.
 */
export function startMetricsServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  onError: (error: Error) => void;
}): { close(): Promise<void> } {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    options.metrics.registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": options.metrics.registry.contentType }).end(body),
      (error: unknown) => {
        options.onError(error as Error);
        res.writeHead(500).end();
      },
    );
  });
  server.listen(options.port, options.host).on("error", options.onError);
  return {
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
