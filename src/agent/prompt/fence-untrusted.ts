import { randomBytes } from "node:crypto";

/**
 * Wraps text written by users in a fence whose tag carries a random nonce, so the text cannot close
 * the fence and continue as if it were the harness speaking.
 */
export function fenceUntrusted(label: string, text: string, nonce = randomBytes(6).toString("hex")): string {
  const tag = `untrusted-${nonce}`;
  const safe = text.split(tag).join("untrusted-(nonce removed)");
  return `<${tag} source="${label}">\n${safe}\n</${tag}>`;
}

/** Cuts text to a character budget, saying so, so a huge issue cannot crowd out everything else. */
export function limitText(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  return {
    text: `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} more characters omitted by issue-agent …]`,
    truncated: true,
  };
}
