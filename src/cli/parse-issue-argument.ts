import { readFile, stat } from "node:fs/promises";
import type { IssueThread } from "../forge/forge.ts";

/**
 * `--issue` is a path to a Markdown file or the issue text itself. The first line (a leading `#`
 * removed) is the title, the rest the body.
 */
export async function parseIssueArgument(value: string): Promise<IssueThread> {
  const isFile = await stat(value)
    .then((s) => s.isFile())
    .catch(() => false);
  const text = isFile ? await readFile(value, "utf8") : value;
  const [first = "", ...rest] = text.replace(/\r\n?/g, "\n").trim().split("\n");
  const title = first.replace(/^#+\s*/, "").trim() || "Untitled issue";
  return {
    number: 1,
    title,
    body: rest.join("\n").trim(),
    url: isFile ? `file://${value}` : "(inline text)",
    author: "local",
    comments: [],
  };
}
