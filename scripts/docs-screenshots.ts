// `npm run docs:screenshots`: renders the README's pictures from the app's own renderers (status
// comment, check run, pull request body) and photographs them in headless Chromium. Not part of
// `npm test`: it needs Chromium (`apt-get install chromium`; CHROMIUM_PATH to use another).
import { writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";
import { renderPullRequestBody } from "../src/report/render-pull-request.ts";
import { renderCheckOutput, renderStatusComment } from "../src/report/render-status.ts";
import { exampleProgress, examplePullRequest } from "./docs-screenshots/example-job.ts";
import { githubPage } from "./docs-screenshots/github-page.ts";

const progress = exampleProgress();
const check = renderCheckOutput(progress);

const pages: Record<string, string> = {
  "status-comment": githubPage({
    header: "<b>issue-agent</b> <span class=badge>bot</span> commented on issue #42",
    markdown: renderStatusComment(progress),
  }),
  "check-run": githubPage({
    title: `<span class="success">✓</span> issue-agent — ${check.title}`,
    header: "<b>issue-agent</b> check run · completed · success",
    markdown: [check.summary, check.text ?? ""].join("\n\n"),
  }),
  "pull-request": githubPage({
    title:
      "Reject impossible calendar days in parseDate <span style='color:#59636e;font-weight:400'>#57</span>",
    header: "<b>issue-agent</b> <span class=badge>bot</span> opened this pull request",
    markdown: renderPullRequestBody(examplePullRequest()),
  }),
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage({ viewport: { width: 928, height: 600 }, deviceScaleFactor: 2 });
  for (const [name, html] of Object.entries(pages)) {
    await page.setContent(html, { waitUntil: "load" });
    // Open every <details> so the check run's log excerpts show.
    await page.evaluate(`document.querySelectorAll("details").forEach((d) => d.setAttribute("open", ""))`);
    const file = new URL(`../docs/images/${name}.png`, import.meta.url);
    await writeFile(file, await page.locator("body").screenshot());
    console.log(`wrote docs/images/${name}.png`);
  }
} finally {
  await browser.close();
}
