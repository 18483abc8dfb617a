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
    case "heading":
      // A heading of the model's would read as one of the app's own sections (`## Guardrails`):
      // its marker is shown as text.
      edits.push(headingMarkerEscape(raw, start));
      break;
    case "blockquote": {
      // `> [!CAUTION]` would render as one of GitHub's alerts, in the app's voice.
      const alert = /^[ \t]*>[ \t]?(?=\[!)/.exec(raw);
      if (alert) edits.push({ start: start + alert[0].length, end: start + alert[0].length, text: "\\" });
      break;
    }
    case "inlineCode":
      return;
    case "code": {
      // A fence the model never closed would run to the end of the model's text and swallow the
      // app's sections after it: it is closed where the model's text ends.
      const closing = unclosedFence(raw);
      if (closing) edits.push({ start: end, end, text: `\n${closing}` });
      return;
    }
  }
  if ("children" in node)
    for (const child of (node as Parent).children) walk(child as Nodes, source, context, edits);
}

/** The edit that shows a heading's marker as text: `\##` for `##`, `\---` under a setext one. */
function headingMarkerEscape(raw: string, start: number): Edit {
  // An ATX heading's first `#`, or the first character of a setext heading's underline (its last line).
  const underline = raw.lastIndexOf("\n") + 1;
  const at = /^[ \t]*#/.test(raw)
    ? raw.indexOf("#")
    : underline + (/^[ \t]*/.exec(raw.slice(underline))?.[0].length ?? 0);
  return { start: start + at, end: start + at, text: "\\" };
}

/** The fence that would close `raw`, a fenced code block, when it is not closed; else undefined. */
function unclosedFence(raw: string): string | undefined {
  const opening = /^[ \t]*(`{3,}|~{3,})/.exec(raw);
  if (!opening) return undefined;
  const fence = opening[1]!;
  const lines = raw.split("\n");
  const last = lines.at(-1)!.trim();
  const closed =
    lines.length > 1 && last.startsWith(fence[0]!.repeat(fence.length)) && /^(`+|~+)$/.test(last);
  return closed ? undefined : fence;
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

/**
 * Inline code that holds any text: a fence longer than any run of backticks inside, on one line
 * (a blank line would end the span, and what follows would be Markdown again).
 */
export function codeSpan(raw: string): string {
  const text = raw.replace(/\r?\n/g, " ");
  if (text === "") return "";
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A code block that holds any text: a fence longer than any run of backticks inside. */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}
