/**
 * The shared renderers' Markdown as a terminal shows it: GitHub's HTML, emphasis and @-mentions
 * (the approver "@you", the job's starter) taken out, the rest left readable as it is.
 */
export function markdownForTerminal(markdown: string): string {
  return markdown
    .replace(/<\/?sub>/g, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/(?<![\w.])@(?=\w)/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
