import { escapeHtml } from "../report/escape-html.ts";

/**
 * HTML built from templates whose every interpolation is escaped, unless it is already `Html` (the
 * output of another template). Hostile text (issue bodies, model answers, command output) can only
 * ever be text.
 */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  if (part === undefined || part === null || part === false) return "";
  return escapeHtml(String(part as string | number));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(
    strings.reduce(
      (out, text, index) => out + text + (index < parts.length ? render(parts[index]!) : ""),
      "",
    ),
  );
}
