import { Html, html } from "./html.ts";

/**
 * The page's only style sheet, allowed by its nonce. The only script is the running job's live
 * update, a file from this app allowed by the same nonce (see live-update-script.ts).
 */
const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1f2328}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #d0d7de}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
.muted{color:#59636e}.passed,.success,.succeeded,.done{color:#1a7f37}.failed,.failure{color:#d1242f}
.timeline>li{margin:.3rem 0}.kind{display:inline-block;min-width:5.5rem;font-weight:600}
progress{width:16rem}summary{cursor:pointer}
.add{color:#1a7f37}.del{color:#d1242f}.hunk{color:#8250df}.file{font-weight:600}.files{margin:.2rem 0}
`;

export const CONTENT_SECURITY_POLICY = (nonce: string) =>
  [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    // The live update fetches the page itself, from this app only.
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

export function layout(options: {
  title: string;
  nonce: string;
  body: Html;
  /** A running job's page: its live-update script; without script, a refresh instead. */
  live?: { seconds: number; script: string };
  /** A file has no response headers: its policy goes into the page itself. */
  embedPolicy?: boolean;
}): string {
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        ${options.embedPolicy ? html`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY(options.nonce)}" />` : ""}
        ${
          options.live
            ? html`<noscript><meta http-equiv="refresh" content="${options.live.seconds}" /></noscript>
                <script nonce="${options.nonce}" src="${options.live.script}" defer></script>`
            : ""
        }
        <title>${options.title}</title>
        <style nonce="${options.nonce}">
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        ${options.body}
      </body>
    </html>`.value
  }`;
}
