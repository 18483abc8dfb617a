// Wraps rendered Markdown in a page that looks like the GitHub view it stands for.
import { readFileSync } from "node:fs";
import { marked } from "marked";

const markdownCss = readFileSync(
  new URL("../../node_modules/github-markdown-css/github-markdown-light.css", import.meta.url),
  "utf8",
);

const frameCss = `
  body { margin: 0; padding: 24px; background: #fff; width: 880px;
         font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .box { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
  .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 10px 16px;
          font-size: 14px; color: #59636e; display: flex; align-items: center; gap: 8px; }
  .head b { color: #1f2328; }
  .avatar { width: 20px; height: 20px; border-radius: 4px; background: #1f883d; color: #fff;
            font-size: 12px; font-weight: 600; display: inline-flex; align-items: center; justify-content: center; }
  .badge { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; }
  .markdown-body { padding: 16px; font-size: 14px; }
  .title { font-size: 20px; font-weight: 600; color: #1f2328; margin: 0 0 12px; }
  .success { color: #1a7f37; }
  .markdown-body details { margin-bottom: 8px; }
`;

/** A GitHub-like frame: a header line (who, what) above the Markdown, rendered as GitHub would. */
export function githubPage(options: { title?: string; header: string; markdown: string }): string {
  const body = marked.parse(options.markdown, { gfm: true, async: false });
  return `<!doctype html><html><head><meta charset="utf-8">
<style>${markdownCss}</style><style>${frameCss}</style></head><body>
${options.title ? `<p class="title">${options.title}</p>` : ""}
<div class="box"><div class="head"><span class="avatar">ia</span>${options.header}</div>
<div class="markdown-body">${body}</div></div>
</body></html>`;
}
