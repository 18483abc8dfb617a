import { execFile } from "node:child_process";
import {
  chmodSync,
  chownSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";
import { chooseSandbox } from "../../src/sandbox/choose-sandbox.ts";

// The limits of `sandbox.*` as they hold for the sandbox a job gets (chooseSandbox with the
// repository's config), when the app runs as root (these tests do) and when it does not (a child
// process started as `nobody`). Processes are counted alive at once: 1,500 short sleeps started one
// after another on a loaded host never coexist, which is what made the red-team row look escaped.
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-job-limits-")));
const NOBODY = 65_534;
const HOLD_PROCESSES = "for i in $(seq 1 200); do sleep 30 & done; echo alive=$(ls -d /proc/[0-9]* | wc -l)";
const HOLD_MEMORY =
  "for i in 1 2 3 4; do python3 -c \"b = bytearray(b'x') * (150 * 2**20); print('held', flush=True); import time; time.sleep(6)\" & done; wait; echo all-done";

function job(name: string, owner?: number) {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "repo/.git"), { recursive: true });
  mkdirSync(path.join(dir, "scratch"), { recursive: true });
  if (owner !== undefined)
    for (const entry of [dir, `${dir}/repo`, `${dir}/repo/.git`, `${dir}/scratch`])
      chownSync(entry, owner, owner);
  return { workspace: path.join(dir, "repo"), scratch: path.join(dir, "scratch") };
}

async function runAsRoot(settings: Record<string, unknown>, command: string) {
  const config = parseAgentConfig({ sandbox: settings });
  const dirs = job(`root-${Math.random().toString(36).slice(2)}`);
  const sandbox = await chooseSandbox({ ...dirs, config, policy: new PathPolicy(config.paths) });
  return sandbox.run({ command, cwd: dirs.workspace, timeoutMs: 60_000, maxOutputBytes: 20_000 });
}

/** The app started as an unprivileged user: its own node (under /root, which nobody may enter). */
async function runAsNobody(settings: Record<string, unknown>, command: string) {
  const dirs = job(`nobody-${Math.random().toString(36).slice(2)}`, NOBODY);
  const script = path.join(import.meta.dirname, "fixtures/run-in-job-sandbox.ts");
  const { stdout, stderr } = await promisify(execFile)(
    "setpriv",
    [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      "--clear-groups",
      node,
      script,
      JSON.stringify({ ...dirs, sandbox: settings, command }),
    ],
    {
      cwd: path.join(dirs.workspace, ".."),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      timeout: 90_000,
    },
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { uid: number; output: string };
  expect(result.uid).toBe(NOBODY);
  return { ...result, stderr };
}

// Apart from the jobs: the sandbox shows the Node runtime's directory read-only.
const nodeRoot = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-node-")));
const node = path.join(nodeRoot, "bin/node");

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  expect(process.getuid?.()).toBe(0);
  chmodSync(root, 0o755);
  chmodSync(nodeRoot, 0o755);
  mkdirSync(path.dirname(node));
  try {
    linkSync(process.execPath, node);
  } catch {
    copyFileSync(process.execPath, node);
  }
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(nodeRoot, { recursive: true, force: true });
});

describe("the sandbox a job gets: sandbox.max_processes", () => {
  it("holds for processes alive at once when the app runs as root", async () => {
    const result = await runAsRoot({ max_processes: 64 }, HOLD_PROCESSES);
    expect(result.output).toContain("limit of 64 processes (`sandbox.max_processes`)");
    expect(result.output).not.toMatch(/alive=(\d{3}|[7-9]\d)/);
  }, 90_000);

  it("holds for processes alive at once when the app is not root", async () => {
    const result = await runAsNobody({ max_processes: 64 }, HOLD_PROCESSES);
    expect(result.output).toContain("limit of 64 processes (`sandbox.max_processes`)");
    expect(result.output).not.toMatch(/alive=(\d{3}|[7-9]\d)/);
  }, 120_000);
});

describe("the sandbox a job gets: sandbox.max_total_memory_mb", () => {
  it("stops a command whose processes, each under the per-process limit, together exceed the total", async () => {
    const result = await runAsRoot({ max_memory_mb: 1_024, max_total_memory_mb: 256 }, HOLD_MEMORY);
    expect(result.output).toContain(
      "the command's processes together used more than the sandbox's 256 MB (`sandbox.max_total_memory_mb`",
    );
    expect(result.output.match(/^held$/gm)?.length ?? 0).toBeLessThan(4);
    expect(result.output).not.toContain("all-done");
  }, 90_000);

  it("lets the same processes run under a total that fits them", async () => {
    const result = await runAsRoot({ max_memory_mb: 1_024, max_total_memory_mb: 1_024 }, HOLD_MEMORY);
    expect(result.output.match(/^held$/gm)?.length).toBe(4);
    expect(result.output).toContain("all-done");
  }, 90_000);

  it("says in the app's log that the total is not capped where it cannot create a memory cgroup", async () => {
    const result = await runAsNobody({ max_total_memory_mb: 256 }, "echo ran");
    expect(result.output).toContain("ran");
    expect(result.stderr).toContain("the total memory of a command is not capped");
  }, 120_000);
});
