import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDotEnv } from "../src/load-env.ts";
import { writeProbotDotEnv } from "./helpers/app-checkout.ts";
import { PRIVATE_KEY } from "./helpers/test-probot.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("loadDotEnv", () => {
  it("reads the quoted, newline-escaped private key Probot's setup writes as the key itself", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dotenv-"));
    writeProbotDotEnv(dir, { APP_ID: "42", PRIVATE_KEY, WEBHOOK_SECRET: "s=cret", PORT: "3456" });
    const env: NodeJS.ProcessEnv = { PORT: "3000", OTHER: "kept" };
    expect(loadDotEnv({ dir, env }).sort()).toEqual(["APP_ID", "PORT", "PRIVATE_KEY", "WEBHOOK_SECRET"]);
    expect(env).toEqual({ APP_ID: "42", PRIVATE_KEY, WEBHOOK_SECRET: "s=cret", PORT: "3456", OTHER: "kept" });
  });

  it("keeps what the environment already sets when asked, as the CLI does", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dotenv-"));
    writeProbotDotEnv(dir, { APP_ID: "42", PORT: "3456" });
    const env: NodeJS.ProcessEnv = { PORT: "3000" };
    expect(loadDotEnv({ dir, env, keepExisting: true })).toEqual(["APP_ID"]);
    expect(env).toEqual({ APP_ID: "42", PORT: "3000" });
  });

  it("leaves the environment as it is without a .env file", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dotenv-"));
    const env: NodeJS.ProcessEnv = { PORT: "3000" };
    expect(loadDotEnv({ dir, env })).toEqual([]);
    expect(env).toEqual({ PORT: "3000" });
  });
});
