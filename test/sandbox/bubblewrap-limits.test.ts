import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox, probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";
import { DEFAULT_LIMITS } from "../../src/sandbox/resource-limits.ts";

// Issue #11, item 7: 1,500 processes, 3 GB of memory and 500 MB in /tmp all succeeded in one command.
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-limits-")));
const workspace = path.join(root, "repo");

const sandbox = (options: { appRoot?: string } = {}) =>
  new BubblewrapSandbox({
    workspace,
    scratch: path.join(root, "scratch"),
    access: { network: false },
    policy: new PathPolicy(parseAgentConfig({}).paths),
    limits: { ...DEFAULT_LIMITS, maxProcesses: 64, maxMemoryMb: 1_024, maxFileSizeMb: 100, tmpSizeMb: 200 },
    ...options,
  });
const run = (command: string, timeoutMs = 30_000) =>
  sandbox().run({ command, cwd: workspace, timeoutMs, maxOutputBytes: 20_000 });

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  mkdirSync(path.join(workspace, ".git"), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("BubblewrapSandbox resource limits", () => {
  it("stops a fork bomb and tells the model which limit it hit", async () => {
    const started = Date.now();
    const result = await run(":(){ :|:& };:; sleep 20", 25_000);
    expect(result.output).toContain("limit of 64 processes (`sandbox.max_processes`)");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("refuses a 3 GB allocation and says so", async () => {
    const result = await run("python3 -c 'b = bytearray(3 * 1024**3); print(\"allocated\")'");
    expect(result.output).not.toContain("allocated");
    expect(result.output).toContain("each process may use at most 1024 MB (`sandbox.max_memory_mb`)");
  });

  it("keeps /tmp to its size: a 500 MB write fails and is reported", async () => {
    const result = await run("for i in 1 2 3 4 5; do head -c 99M /dev/zero > /tmp/big$i; done; echo rc=$?");
    expect(result.output).toContain("No space left on device");
    expect(result.output).toContain("its private /tmp holds at most 200 MB (`sandbox.tmp_size_mb`)");
  });

  it("stops a command writing a file over the size limit", async () => {
    const result = await run("head -c 300M /dev/zero > big.bin; echo rc=$?");
    expect(result.output).toContain("larger than the sandbox's limit of 100 MB (`sandbox.max_file_size_mb`)");
    rmSync(path.join(workspace, "big.bin"), { force: true });
  });

  it("covers the app's own directory when it is installed inside a shown system directory", async () => {
    // An app installed under /usr/local (npm -g) or /opt is inside what the sandbox shows.
    const installed = realpathSync(mkdtempSync("/opt/issue-agent-installed-"));
    try {
      writeFileSync(path.join(installed, ".env"), "OPENAI_API_KEY=sk-app-secret\n");
      writeFileSync(path.join(installed, "package.json"), "{}\n");
      const result = await sandbox({ appRoot: installed }).run({
        command: `ls -A ${installed}; cat ${installed}/.env; ls /opt`,
        cwd: workspace,
        timeoutMs: 15_000,
        maxOutputBytes: 20_000,
      });
      expect(result.output).not.toContain("sk-app-secret");
      expect(result.output).not.toContain("package.json");

      // Jobs' workspaces under the app's directory: the job sees its own, nothing else there.
      const nested = path.join(installed, "work/job-1/repo");
      mkdirSync(path.join(nested, ".git"), { recursive: true });
      mkdirSync(path.join(installed, "work/job-2/repo"), { recursive: true });
      writeFileSync(path.join(installed, "work/job-2/repo/other.txt"), "other job\n");
      const inside = await new BubblewrapSandbox({
        workspace: nested,
        scratch: path.join(installed, "work/job-1/scratch"),
        access: { network: false },
        policy: new PathPolicy(parseAgentConfig({}).paths),
        appRoot: installed,
      }).run({
        command: `echo mine > mine.txt && cat mine.txt; cat ${installed}/.env ${installed}/work/job-2/repo/other.txt`,
        cwd: nested,
        timeoutMs: 15_000,
        maxOutputBytes: 20_000,
      });
      expect(inside.output).toContain("mine");
      expect(inside.output).not.toContain("sk-app-secret");
      expect(inside.output).not.toContain("other job");
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });
});
