import { readdirSync, readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);

/** README.md and every page under docs/, as `[path, text]`. */
export function documentationPages(): Array<[string, string]> {
  const docs = readdirSync(new URL("docs/", root)).filter((name) => name.endsWith(".md"));
  return ["README.md", ...docs.map((name) => `docs/${name}`)].map((path) => [
    path,
    readFileSync(new URL(path, root), "utf8"),
  ]);
}

/** The fenced code blocks of one language in a Markdown text, dedented when inside a list item. */
export function fencedBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp("^( *)```" + language + "\\n([\\s\\S]*?)^\\1```$", "gm");
  return [...markdown.matchAll(fence)].map(([, indent = "", body = ""]) =>
    body
      .split("\n")
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join("\n"),
  );
}
