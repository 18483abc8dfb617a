import type { Nodes, Parent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

export interface PublishingContext {
  /** The GitHub host links may point to (`github.com`, or the Enterprise host). */
  githubHost: string;
  /** `owner/repo` of the job: references to it are the only ones model text may make. */
  repository: string;
  /** The one user model text may mention: who started the job. */
  requester: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const CLOSING_KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s*$/i;

/**
 * Makes text the model wrote safe to put on GitHub, where it is rendered as the app's own words:
 * images and links to other hosts (and links to other repositories' issues) become inline code —
 * visible, not clickable, never fetched; `@mentions` of anyone but the requester become code, so
 * nobody is pinged; closing keywords and cross-repository references become code, so only the
 * app's own `Closes #N` closes anything; HTML comments are removed and other HTML shown as code.
 * Parsed with a real GitHub-flavoured Markdown parser, so code spans and blocks stay untouched.
 */
export function neutralizeModelMarkdown(text: string, context: PublishingContext): string {
  const tree = fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const edits: Edit[] = [];
  walk(tree, text, context, edits);
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

function walk(node: Nodes, source: string, context: PublishingContext, edits: Edit[]): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return;
  const raw = source.slice(start, end);
  const replace = (text: string) => edits.push({ start, end, text });
  switch (node.type) {
    case "html":
      if (/^<!--[\s\S]*?-->$/.test(raw.trim())) replace("");
      else replace(raw.includes("\n") ? codeBlock(raw) : codeSpan(raw));
      return;
    case "image":
    case "imageReference":
    case "link":
    case "definition": {
      const url = "url" in node ? node.url : undefined;
      const afterClosingKeyword = CLOSING_KEYWORD.test(source.slice(Math.max(0, start - 20), start));
      const allowed =
        node.type !== "imageReference" &&
        url !== undefined &&
        urlAllowed(url, node.type === "image", context) &&
        !(afterClosingKeyword && url.includes("/issues/"));
      if (!allowed) {
        replace(codeSpan(raw.replace(/\s*\n\s*/g, " ")));
        return;
      }
      break;
    }
    case "text":
      textEdits(raw, start, context, edits);
      return;
    case "inlineCode":
    case "code":
      return;
  }
  if ("children" in node)
    for (const child of (node as Parent).children) walk(child as Nodes, source, context, edits);
}

/** Links only to the GitHub host (or relative, which GitHub resolves there); images the same. */
function urlAllowed(url: string, image: boolean, context: PublishingContext): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url, `https://${context.githubHost}/${context.repository}/`);
  } catch {
    return false;
  }
  if (!["https:", "http:"].includes(parsed.protocol)) return false;
  if (parsed.host.toLowerCase() !== context.githubHost.toLowerCase()) return false;
  if (image) return true;
  // A link to another repository's issue or pull request is a cross-reference GitHub records there.
  const [owner, repo, kind] = parsed.pathname.split("/").slice(1);
  const sameRepository = `${owner}/${repo}`.toLowerCase() === context.repository.toLowerCase();
  return sameRepository || !["issues", "pull", "pulls", "discussions", "commit"].includes(kind ?? "");
}

const MENTION = /(?<![\w`/])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?)/g;
const CROSS_REFERENCE = /(?<![\w/.-])[A-Za-z0-9][\w.-]*\/[\w.-]+(?:#\d+|@[0-9a-f]{7,40})\b/g;
const CLOSING_REFERENCE =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:#\d+|GH-\d+|[\w.-]+\/[\w.-]+#\d+)\b/gi;

/** Mentions, cross-repository references and closing keywords in plain text, as code. */
function textEdits(raw: string, offset: number, context: PublishingContext, edits: Edit[]): void {
  const found: Edit[] = [];
  const add = (pattern: RegExp, keep?: (match: RegExpExecArray) => boolean) => {
    for (const match of raw.matchAll(pattern)) {
      if (keep?.(match)) continue;
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      found.push({ start, end, text: codeSpan(match[0]) });
    }
  };
  add(CLOSING_REFERENCE);
  add(CROSS_REFERENCE);
  add(MENTION, (m) => m[1]!.toLowerCase() === context.requester.toLowerCase());
  for (const f of found) edits.push({ start: offset + f.start, end: offset + f.end, text: f.text });
}

/** Inline code that holds any text: a fence longer than any run of backticks inside. */
export function codeSpan(text: string): string {
  if (text === "") return "";
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}
