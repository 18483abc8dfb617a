/**
 * Removes the places where text written by users can hide instructions from a human reader while a
 * model still reads them: HTML comments, zero-width and bidirectional control characters, and the
 * alt text of images. What remains is what a maintainer sees on GitHub.
 */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// Zero-width, word joiners, BOM, soft hyphen, bidirectional embeddings/overrides/isolates, and the
// Unicode "tag" block that can spell invisible ASCII.
const INVISIBLE =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;
const MARKDOWN_IMAGE_ALT = /!\[([^\]]*)\]\(/g;
const HTML_ALT = /(<img\b[^>]*?)\s+(?:alt|title)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

export function sanitizeUntrusted(text: string): string {
  return text
    .replace(HTML_COMMENT, "")
    .replace(INVISIBLE, "")
    .replace(MARKDOWN_IMAGE_ALT, "![image](")
    .replace(HTML_ALT, "$1")
    .replace(HTML_ALT, "$1");
}
