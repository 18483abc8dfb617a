import { Html, html } from "./html.ts";

/** The page's only style sheet, allowed by its nonce; no script runs on these pages. */
const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1f2328}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #d0d7de}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
.muted{color:#59636e}.passed,.success,.succeeded,.done{color:#1a7f37}.failed,.failure{color:#d1242f}
.timeline>li{margin:.3rem 0}.kind{display:inline-block;min-width:5.5rem;font-weight:600}
progress{width:16rem}summary{cursor:pointer}
`;

export const CONTENT_SECURITY_POLICY = (nonce: string) =>
  [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

export function layout(options: {
  title: string;
  nonce: string;
  body: Html;
  refreshSeconds?: number;
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
        ${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}" />` : ""}
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
