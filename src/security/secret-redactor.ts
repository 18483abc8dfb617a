import { maskCredentials } from "./credential-patterns.ts";
import { encodedForms } from "./encoded-forms.ts";

const MASK = "[REDACTED]";
/** Values shorter than this are not treated as secrets; masking "1" everywhere would wreck text. */
const MIN_SECRET_LENGTH = 8;

/**
 * Masks secrets in any text that leaves the app (comments, PR bodies, check runs) and in what the
 * model is shown: known secret values exactly, registered as soon as they are known, also in their
 * base64, base64url, URL-encoded and hex forms, and anything shaped like a credential.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /** Longest first, so a secret inside another's encoding cannot leave part of it behind. */
  private ordered: string[] = [];

  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      // A PEM key is also masked line by line, since output may wrap or split it.
      const lines = value.split(/\r?\n/).filter((line) => line.length >= 32 && !line.startsWith("-----"));
      for (const form of [value, ...lines].flatMap(encodedForms)) {
        if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
      }
    }
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.ordered) {
      if (result.includes(secret)) result = result.split(secret).join(MASK);
    }
    return maskCredentials(result, MASK);
  }
}

/** Secrets the process itself was started with. */
export function redactorFromEnv(env: NodeJS.ProcessEnv = process.env): SecretRedactor {
  const redactor = new SecretRedactor();
  redactor.add(
    env.OPENAI_API_KEY,
    env.PRIVATE_KEY,
    env.WEBHOOK_SECRET,
    env.GITHUB_CLIENT_SECRET,
    env.ISSUE_AGENT_SESSION_SECRET,
  );
  return redactor;
}
