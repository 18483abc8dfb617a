/**
 * Shapes of credentials that must not travel: into the model's context (a pasted token in an issue)
 * or out of the app (a token printed by a command, echoed in a PR body). Known secret values are
 * masked exactly by the SecretRedactor; these catch the ones the app never knew.
 */
export const CREDENTIAL_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  {
    name: "private key",
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  { name: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g },
  // Legacy 40-hex tokens look like commit ids, so they are masked only where a token is expected:
  // after a token-like name (`GITHUB_TOKEN=`, `"access_token": "`) or as the user of a URL.
  {
    name: "GitHub token (legacy)",
    pattern: /(?<=\b\w*(?:token|_pat|password|secret)["']?\s*[:=]\s*["']?)[0-9a-f]{40}\b/gi,
  },
  { name: "token in a URL", pattern: /(?<=\b[a-z][a-z0-9+.-]*:\/\/)[0-9a-f]{40}(?=@)/gi },
  { name: "OpenAI key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b/g },
  { name: "AWS access key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  // An AWS secret access key is 40 base64 characters: masked after its usual names only.
  {
    name: "AWS secret access key",
    pattern: /(?<=\b(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
  },
  { name: "Slack token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}\b/g },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  // GitHub App JWTs (and any other JWT): header.payload.signature, base64url, header starts `{"`.
  { name: "JWT", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: "basic-auth URL", pattern: /(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+:[^\s/@]+(?=@)/gi },
  {
    // `Authorization: Bearer …` in a header dump, or `"authorization": "bearer …"` in a JSON one.
    name: "authorization header",
    pattern: /(?<=\bauthorization"?\s*[:=]\s*"?(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{16,}/gi,
  },
];

export function maskCredentials(text: string, mask: string): string {
  let result = text;
  for (const { pattern } of CREDENTIAL_PATTERNS) result = result.replace(pattern, mask);
  return result;
}
