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

describe("SecretRedactor and encoded secrets", () => {
  const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
  const redactor = new SecretRedactor();
  redactor.add(token);
  const b64 = (text: string) => Buffer.from(text).toString("base64");

  it.each([
    ["base64", b64(token)],
    ["base64 without padding", b64(token).replace(/=+$/, "")],
    ["base64url", Buffer.from(`??>${token}`).toString("base64url")],
    ["base64 inside a longer value, any alignment", b64(`x-access-token:${token}`)],
    ["base64 at offset 1", b64(`a${token}tail`)],
    ["base64 at offset 2", b64(`ab${token}tail`)],
    ["URL-encoded", encodeURIComponent(`${token}/&`)],
    ["hex", Buffer.from(token).toString("hex")],
    ["upper-case hex", Buffer.from(token).toString("hex").toUpperCase()],
  ])("masks the secret as %s", (_form, encoded) => {
    const shown = redactor.redact(`before ${encoded} after`);
    expect(shown).toContain("[REDACTED]");
    expect(shown).not.toContain(encoded);
    // Nothing long enough to decode back to the secret stays.
    for (const piece of shown.split(/[\s[\]]+/)) {
      expect(Buffer.from(piece, "base64").toString()).not.toContain(token.slice(4, 20));
    }
  });

  it("masks a URL-encoded secret that has characters to escape", () => {
    const key = new SecretRedactor();
    key.add("p@ss w/rd+secret=1");
    expect(key.redact(`?password=${encodeURIComponent("p@ss w/rd+secret=1")}&x=1`)).toBe(
      "?password=[REDACTED]&x=1",
    );
  });

  it("leaves ordinary text and commit ids alone", () => {
    const text = "commit 3f2a9c1d4e5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f: fix base64 decoding of aGVsbG8=";
    expect(redactor.redact(text)).toBe(text);
  });
});
