/** File names an issue is written in; a lone word ending so is meant as a file, not as the issue. */
const ISSUE_FILE = /\.(md|markdown|mdx|txt|text)$/i;
/** `./x`, `../x`, `~/x`, `/x` (and the Windows forms): written as a path on purpose. */
const EXPLICIT_PATH = /^(\.{1,2}[\\/]|~[\\/]|[\\/])/;

/**
 * Whether `--issue` was meant as a file name rather than the issue's text, so that a mistyped
 * path is reported instead of becoming an issue titled "./isue.md". Text has spaces or lines; a
 * path has a separator or an issue file's extension.
 */
export function looksLikePath(value: string): boolean {
  const text = value.trim();
  if (text === "" || text.includes("\n")) return false;
  if (!/\s/.test(text)) return EXPLICIT_PATH.test(text) || /[\\/]/.test(text) || ISSUE_FILE.test(text);
  return EXPLICIT_PATH.test(text) && ISSUE_FILE.test(text);
}
