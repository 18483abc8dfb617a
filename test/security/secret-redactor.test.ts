import { describe, expect, it } from "vitest";
import { SecretRedactor, redactorFromEnv } from "../../src/security/secret-redactor.ts";

describe("SecretRedactor", () => {
  it("masks every occurrence of every registered secret", () => {
    const redactor = new SecretRedactor();
    redactor.add("ghs_abcdefghijklmnop", undefined, "short");
    expect(redactor.redact("a ghs_abcdefghijklmnop b ghs_abcdefghijklmnop short")).toBe(
      "a [REDACTED] b [REDACTED] short",
    );
  });

  it("masks the lines of a PEM key on their own", () => {
    const body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    const redactor = redactorFromEnv({ PRIVATE_KEY: pem });
    expect(redactor.redact(`leaked: ${body.slice(0)}`)).toBe("leaked: [REDACTED]");
  });
});
