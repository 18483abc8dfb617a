import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { html } from "./html.ts";
import { CONTENT_SECURITY_POLICY, layout } from "./page-layout.ts";

/** Headers every response of the job page carries: never cached, never sniffed, no referrer. */
const COMMON = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** An HTML page under the strict policy, with a fresh nonce for its style sheet and script. */
export function sendPage(
  res: ServerResponse,
  status: number,
  render: (nonce: string) => string,
  headers: Record<string, string> = {},
): void {
  const nonce = randomBytes(16).toString("base64");
  res
    .writeHead(status, {
      "content-type": "text/html; charset=utf-8",
      ...COMMON,
      "content-security-policy": CONTENT_SECURITY_POLICY(nonce),
      ...headers,
    })
    .end(render(nonce));
}

/** A page with one heading and one sentence: not found, sign-in failed. */
export function sendMessage(res: ServerResponse, status: number, title: string, message: string): void {
  sendPage(res, status, (nonce) =>
    layout({
      title,
      nonce,
      body: html`<h1>${title}</h1>
        <p>${message}</p>`,
    }),
  );
}

/** The same 404 for a job that does not exist and for a viewer who may not read its repository. */
export function sendNotFound(res: ServerResponse): void {
  sendMessage(res, 404, "Not found", "No such job, or you may not read its repository.");
}

export function sendScript(res: ServerResponse, script: string): void {
  res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", ...COMMON }).end(script);
}

export function redirect(res: ServerResponse, location: string, cookies: string | string[]): void {
  res.writeHead(302, { location, "set-cookie": cookies, "cache-control": "no-store" }).end();
}
