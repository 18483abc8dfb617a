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
  { name: "OpenAI key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}\b/g },
  { name: "AWS access key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
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
