import type { IncomingMessage, ServerResponse } from "node:http";

/** `GET /healthz`: the process is up and serving HTTP (used by the Docker HEALTHCHECK). */
export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" || req.url?.split("?")[0] !== "/healthz") return false;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
  return true;
}
