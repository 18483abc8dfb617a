/** Text as a Markdown block quote, line by line, so it reads as quoted in comments and PR bodies. */
export function quoteMarkdown(text: string): string {
  return text
    .split(/\r\n?|\n/)
    .map((line) => `> ${line}`)
    .join("\n");
}
