import type { Heading, Nodes, Parent } from "mdast";
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
  // A lone CR ends a line for GitHub's parser as for this one: one kind of line end, so that what
  // is measured here is what GitHub reads.
  const written = text.replace(/\r\n?/g, "\n");
  // The parser's time grows faster than the text (some 90,000-character inputs took minutes), and
  // a deep enough nesting overflows its stack: text that long, or that the parser cannot take,
  // is shown as it was written, as code.
  if (written.length > MAX_CHARS) return codeBlock(written);
  try {
    let result = written;
    // Each pass takes away what the last one's edits may have made: a heading turned into a
    // paragraph can become the text of a setext heading with the line under it.
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const edits: Edit[] = [];
      walk(parse(result), result, context, edits, true);
      if (edits.length === 0) return closeOpenFence(result);
      result = applyEdits(result, edits);
    }
  } catch {
    // (falls through)
  }
  // Text that keeps making new constructs is shown as it was written, as code.
  return codeBlock(written);
}

const MAX_PASSES = 8;
/** Longer than the summaries and reasons models write (the parser is superlinear on some inputs). */
const MAX_CHARS = 6_000;

/** The edits (which never overlap) made in one pass over the text. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  pieces.push(text.slice(at));
  return pieces.join("");
}

const parse = (text: string) =>
  fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

/** What no model writes: it shows where the model's text ends, to see whether a fence ran past it. */
const END_OF_MODEL_TEXT = "issue-agent-end-of-model-text-7f3a9c";

/**
 * The model's text with a fence it left open closed: the app's sections follow it after a blank
 * line, and an open fence would swallow them. Only a fence of the top level runs on past a blank
 * line; one in a list item or a quote ends with its container.
 */
function closeOpenFence(text: string): string {
  const source = `${text}\n\n${END_OF_MODEL_TEXT}`;
  const open = parse(source).children.find(
    (node) => node.type === "code" && node.value.includes(END_OF_MODEL_TEXT),
  );
  const fence = open && /^[ \t]*(`{3,}|~{3,})/.exec(source.slice(open.position?.start.offset ?? 0))?.[1];
  return fence ? `${text}\n${fence}` : text;
}

function walk(
  node: Nodes,
  source: string,
  context: PublishingContext,
  edits: Edit[],
  topLevel = false,
): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return;
  const raw = source.slice(start, end);
  const replace = (text: string) => edits.push({ start, end, text });
  // A code block's fence lines would lose the prefix of a quote or list around the node.
  const asCode = () => replace(raw.includes("\n") && topLevel ? codeBlock(raw) : codeSpan(raw));
  // GFM's autolinks of bare addresses are made after parsing, without positions: what this node
  // holds cannot be judged piece by piece (nor its own marks edited around them), so it is shown
  // whole, as code.
  if (node.type !== "root" && "children" in node && node.children.some((child) => !child.position)) {
    asCode();
    return;
  }
  switch (node.type) {
    case "html":
      if (/^<!--[\s\S]*?-->$/.test(raw.trim())) replace("");
      else asCode();
      return;
    case "heading":
      // A heading of the model's would read as one of the app's own sections (`## Guardrails`): it
      // is shown as bold text.
      edits.push(...headingAsBold(node, raw, start, end));
      break;
    case "blockquote": {
      // `> [!CAUTION]` would render as one of GitHub's alerts, in the app's voice.
      const first = node.children[0];
      const text = first?.type === "paragraph" ? first.children[0] : undefined;
      const at = text?.position?.start.offset;
      // (Read in the source: an escaped `\[!` reads as `[!` in the parsed text.)
      if (text?.type === "text" && at !== undefined && source.startsWith("[!", at))
        edits.push({ start: at, end: at, text: "\\" });
      break;
    }
    case "inlineCode":
    case "code":
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
      textEdits(raw, node.value, start, context, edits);
      return;
  }
  if ("children" in node)
    for (const child of (node as Parent).children)
      walk(child as Nodes, source, context, edits, node.type === "root");
}

/**
 * The edits that make a heading bold text: its marker (`## `, or a setext heading's underline)
 * becomes `**`, around its content, whose own edits (mentions, links) stay inside.
 */
function headingAsBold(node: Heading, raw: string, start: number, end: number): Edit[] {
  const from = node.children[0]?.position?.start.offset;
  const to = node.children.at(-1)?.position?.end.offset;
  if (from === undefined || to === undefined) return [{ start, end, text: codeSpan(raw) }];
  return [
    { start, end: from, text: "**" },
    { start: to, end, text: "**" },
  ];
}

/** Links only to the GitHub host (or relative, which GitHub resolves there); images the same. */
function urlAllowed(url: string, image: boolean, context: PublishingContext): boolean {
  // Resolved against the page it is shown on (a pull request's, an issue's), `../..` leaves the
  // repository: such a link could reach another one's issues.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && url.split(/[/\\]/).includes("..")) return false;
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

const MENTION = /(?<!\w)@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?)/g;
const CROSS_REFERENCE = /(?<![\w/.-])[A-Za-z0-9][\w.-]*\/[\w.-]+(?:#\d+|@[0-9a-f]{7,40})\b/g;
const CLOSING_REFERENCE =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?:\s+(?::\s*)?|:\s*)(?:#\d+|GH-\d+|[\w.-]+\/[\w.-]+#\d+)\b/gi;

/** Mentions, cross-repository references and closing keywords in plain text, as code. */
function textEdits(
  raw: string,
  value: string,
  offset: number,
  context: PublishingContext,
  edits: Edit[],
): void {
  // GitHub finds mentions and references in the text as rendered: `&#64;bob` and `\@bob` read as
  // `@bob`, and a quote's `> ` is gone between `fixes` and `#1`. Text whose source is not what it
  // reads, and that reads as any of them, is shown whole as code.
  if ((raw !== value || /[\\&]/.test(raw)) && readsAsReference(value, context)) {
    edits.push({ start: offset, end: offset + raw.length, text: codeSpan(raw) });
    return;
  }
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
  add(MENTION, (m) => isRequester(m, context));
  for (const f of found) edits.push({ start: offset + f.start, end: offset + f.end, text: f.text });
}

const isRequester = (match: RegExpMatchArray, context: PublishingContext) =>
  match[1]!.toLowerCase() === context.requester.toLowerCase();

function readsAsReference(text: string, context: PublishingContext): boolean {
  return (
    new RegExp(CLOSING_REFERENCE.source, "i").test(text) ||
    new RegExp(CROSS_REFERENCE.source).test(text) ||
    [...text.matchAll(MENTION)].some((match) => !isRequester(match, context))
  );
}

/**
 * Inline code that holds any text: a fence longer than any run of backticks inside, on one line
 * (a blank line would end the span, and what follows would be Markdown again).
 */
export function codeSpan(raw: string): string {
  const text = raw.replace(/\r\n?|\n/g, " ");
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
