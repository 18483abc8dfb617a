import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { ConfigError } from "../../src/errors.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { renderCheckOutput, renderStatusComment } from "../../src/report/render-status.ts";
import { chooseSandbox } from "../../src/sandbox/choose-sandbox.ts";

const missing = {
  available: false as const,
  reason: "bubblewrap (`bwrap`) is not installed on the app host",
};
const options = (raw: object) => {
  const config = parseAgentConfig(raw);
  return { workspace: "/tmp/w", scratch: "/tmp/s", config, policy: new PathPolicy(config.paths) };
};

describe("chooseSandbox", () => {
  it("uses bubblewrap when it works", async () => {
    expect((await chooseSandbox(options({}), { available: true })).isolated).toBe(true);
  });

  it("refuses to run commands without bubblewrap, saying how to fix it", async () => {
    const attempt = chooseSandbox(options({}), missing);
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(chooseSandbox(options({}), missing)).rejects.toMatchObject({
      message:
        "The agent's commands cannot run safely: bubblewrap (`bwrap`) is not installed on the app host.",
      hint: expect.stringContaining("apt-get install bubblewrap"),
    });
  });

  it("runs unsandboxed only when the repository opted in", async () => {
    const sandbox = await chooseSandbox(options({ sandbox: { allow_unsandboxed: true } }), missing);
    expect(sandbox.isolated).toBe(false);
  });

  it("applies the repository's per-process limits to the unsandboxed fallback", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-fallback-"));
    try {
      mkdirSync(path.join(root, "w"));
      const sandbox = await chooseSandbox(
        {
          ...options({ sandbox: { allow_unsandboxed: true, max_file_size_mb: 1 } }),
          workspace: path.join(root, "w"),
          scratch: path.join(root, "s"),
        },
        missing,
      );
      const result = await sandbox.run({
        command: "head -c 5M /dev/zero > big.bin; wc -c < big.bin",
        cwd: path.join(root, "w"),
        timeoutMs: 10_000,
        maxOutputBytes: 10_000,
      });
      expect(result.output).toContain("larger than the sandbox's limit of 1 MB (`sandbox.max_file_size_mb`)");
      expect(result.output).not.toContain("5242880");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("names the fallback and what it loses in the check run and the status comment", async () => {
    const sandbox = await chooseSandbox(options({ sandbox: { allow_unsandboxed: true } }), missing);
    // As run-job does: the job's progress records whether its commands were isolated.
    const progress = {
      issueNumber: 1,
      triggeredBy: "octocat",
      triggerKind: "label" as const,
      phase: "working",
      plan: [],
      log: undefined,
      pullRequestUrls: [],
      notes: [],
      unsandboxed: !sandbox.isolated,
      final: undefined,
    };
    for (const text of [renderCheckOutput(progress).summary, renderStatusComment(progress)]) {
      expect(text).toContain("ran without a sandbox");
      expect(text).toContain("`sandbox.allow_unsandboxed: true`");
      expect(text).toContain("no namespace");
      expect(text).toContain("the repository's real `.git`");
      expect(text).toContain("only per-process ulimits held");
    }
  });
});
