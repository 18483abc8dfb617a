import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expectProcessGone } from "../helpers/process-gone.ts";
import { afterAll, describe, expect, it } from "vitest";
import { ProcessSandbox } from "../../src/sandbox/process-sandbox.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-sandbox-"));
const sandbox = new ProcessSandbox(path.join(root, "scratch"));
const run = (command: string, timeoutMs = 10_000, maxOutputBytes = 10_000) =>
  sandbox.run({ command, cwd: root, timeoutMs, maxOutputBytes });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ProcessSandbox", () => {
  it("runs bash in the workspace and reports the exit code with stdout and stderr", async () => {
    const result = await run("pwd; echo out; echo err >&2; exit 3");
    expect(result).toMatchObject({ exitCode: 3, timedOut: false });
    expect(result.output).toBe(`${root}\nout\nerr\n`);
  });

  it("gives the command only an allowlisted environment: no secret of the app reaches it", async () => {
    process.env.OPENAI_API_KEY_FOR_TEST = "sk-should-never-be-seen";
    try {
      const result = await run("env");
      expect(result.output).not.toContain("sk-should-never-be-seen");
      const names = result.output
        .trim()
        .split("\n")
        .map((line) => line.split("=")[0]);
      expect(names.sort()).toEqual(
        [
          "CI",
          "GIT_CONFIG_NOSYSTEM",
          "GIT_TERMINAL_PROMPT",
          "HOME",
          "LANG",
          "LC_ALL",
          "NO_COLOR",
          "PATH",
          "PWD",
          "SHLVL",
          "TERM",
          "TMPDIR",
          "_",
          "npm_config_update_notifier",
        ].sort(),
      );
    } finally {
      delete process.env.OPENAI_API_KEY_FOR_TEST;
    }
  });

  it("kills the whole process tree at the timeout, background children included", async () => {
    const marker = `issue-agent-bg-${process.pid}-${Date.now()}`;
    const started = Date.now();
    const result = await run(`(exec -a ${marker} sleep 60) & sleep 60`, 500);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expectProcessGone(marker);
  });

  it("does not wait for a background process that keeps the output open, and kills it", async () => {
    const marker = `issue-agent-linger-${process.pid}-${Date.now()}`;
    const result = await run(`(exec -a ${marker} sleep 60) & echo started`, 10_000);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toBe("started\n");
    await expectProcessGone(marker);
  });

  it("caps a flood of output to head and tail without holding it in memory", async () => {
    const result = await run("head -c 100000000 /dev/zero | tr '\\0' x; echo; echo THE-END", 30_000, 2_000);
    expect(result.exitCode).toBe(0);
    expect(result.output.length).toBeLessThan(2_100);
    expect(result.output).toContain("bytes of output omitted");
    expect(result.output.trimEnd().endsWith("THE-END")).toBe(true);
    expect(result.omittedBytes).toBeGreaterThan(99_000_000);
  });
});
