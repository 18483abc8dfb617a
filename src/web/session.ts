import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Sealed cookies: AES-256-GCM, so the browser can neither read the viewer's GitHub token in it nor
 * change anything (the authentication tag is the signature). The key is derived from a dedicated
 * secret or from the webhook secret, never used as it is.
 */
export class CookieSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "issue-agent", "job page session cookie", 32));
  }

  seal(value: object, maxAgeSeconds: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const payload = JSON.stringify({ value, expires: Date.now() + maxAgeSeconds * 1_000 });
    const sealed = Buffer.concat([cipher.update(payload, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString("base64url")).join(".");
  }

  /** The value, or undefined when the cookie was changed, sealed with another key, or expired. */
  open<T>(cookie: string | undefined): T | undefined {
    const [iv, tag, sealed] = (cookie ?? "").split(".").map((part) => Buffer.from(part, "base64url"));
    if (!iv || !tag || !sealed || iv.length !== 12 || tag.length !== 16) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
      decipher.setAuthTag(tag);
      const payload = JSON.parse(
        Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8"),
      ) as {
        value: T;
        expires: number;
      };
      return payload.expires > Date.now() ? payload.value : undefined;
    } catch {
      return undefined;
    }
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

export function cookie(
  name: string,
  value: string,
  options: { maxAgeSeconds: number; secure: boolean },
): string {
  return [
    `${name}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}
