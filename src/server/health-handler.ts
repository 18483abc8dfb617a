import type { IncomingMessage, ServerResponse } from "node:http";
import type { Metrics } from "./metrics.ts";
import { markIntendedUnavailable } from "./probot-log.ts";

/**
 * `GET /healthz`: the process is up. `GET /readyz`: it can take work (its store answers and it is
 * not shutting down); load balancers stop sending webhooks when it says no. `GET /metrics`:
 * Prometheus.
 */
export function operationsHandler(options: {
  ready: () => Promise<boolean>;
  /** Absent when /metrics is served on a port of its own. */
  metrics: Metrics | undefined;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const path = req.url?.split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
      return true;
    }
    if (path === "/readyz") {
      const ready = await options.ready().catch(() => false);
      if (!ready) markIntendedUnavailable(res);
      res
        .writeHead(ready ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: ready ? "ready" : "not ready" }));
      return true;
    }
    if (path === "/metrics" && options.metrics) {
      const body = await options.metrics.registry.metrics();
      res.writeHead(200, { "content-type": options.metrics.registry.contentType }).end(body);
      return true;
    }
    return false;
  };
}
