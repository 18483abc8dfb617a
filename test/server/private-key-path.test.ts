import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { checkPrivateKeyPath } from "../../src/server/private-key-path.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const missing = path.join(dir, "missing.pem");

describe("checkPrivateKeyPath", () => {
  it("refuses a key file that cannot be read, naming it", () => {
    expect(() => checkPrivateKeyPath({ APP_ID: "1", PRIVATE_KEY_PATH: missing })).toThrow(ConfigError);
    expect(() => checkPrivateKeyPath({ APP_ID: "1", PRIVATE_KEY_PATH: missing })).toThrow(
      `PRIVATE_KEY_PATH is ${missing}, which cannot be read (ENOENT).`,
    );
  });

  it("takes a readable key file", () => {
    const key = path.join(dir, "app.pem");
    writeFileSync(key, "-----BEGIN RSA PRIVATE KEY-----\n");
    expect(() => checkPrivateKeyPath({ APP_ID: "1", PRIVATE_KEY_PATH: key })).not.toThrow();
  });

  it("leaves the path alone where Probot would not use it: PRIVATE_KEY set, or no APP_ID (setup)", () => {
    expect(() =>
      checkPrivateKeyPath({ APP_ID: "1", PRIVATE_KEY: "-----BEGIN…", PRIVATE_KEY_PATH: missing }),
    ).not.toThrow();
    expect(() => checkPrivateKeyPath({ PRIVATE_KEY_PATH: missing })).not.toThrow();
  });
});
