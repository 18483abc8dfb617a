import { readFile, stat } from "node:fs/promises";
import type { IssueThread } from "../forge/forge.ts";
import { CannotStart } from "./cannot-start.ts";
import { looksLikePath } from "./looks-like-path.ts";

/**
 * `--issue` is a path to a Markdown file or the issue text itself. The first line (a leading `#`
 * removed) is the title, the rest the body. A value that looks like a path but names no file is
 * refused rather than taken as the issue's text.
 */
export async function parseIssueArgument(value: string): Promise<IssueThread> {
  const found = await stat(value).catch(() => undefined);
  if (!found?.isFile() && looksLikePath(value)) {
    throw new CannotStart(
      `--issue ${value}: ${found ? "not a file" : "no such file"} (give the path of a Markdown file, or the issue's text in quotes)`,
    );
  }
  const isFile = found?.isFile() ?? false;
  const text = isFile ? await readFile(value, "utf8") : value;
  if (!text.trim()) throw new CannotStart(`--issue ${isFile ? `${value}: the file is empty` : "is empty"}`);
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
