import os from "node:os";
import { describe, expect, it } from "vitest";
import { runCapped } from "../../src/sandbox/run-capped.ts";

describe("runCapped", () => {
  it("ends at once a command whose stop came before it started", async () => {
    const stop = new AbortController();
    stop.abort();
    const started = Date.now();
    const result = await runCapped({
      file: "sleep",
      args: ["30"],
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? "" },
      timeoutMs: 60_000,
      maxOutputBytes: 1024,
      signal: stop.signal,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.exitCode).toBeNull();
    expect(result.timedOut).toBe(false);
  });
});
