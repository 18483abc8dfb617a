// The red-team bench's fixtures: a workspace to attack, a host directory to protect, a loopback
// server that must hear nothing, and the snapshots that show whether anything changed.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

/** A repository with the files the ordinary commands use, and a forbidden `.env`. */
export function createTemplate(dir: string, envSecret: string): void {
  const files: Record<string, string> = {
    "adapter.ts": "export const adapter = (address: string) => address.trim();\n// line 2\n// line 3\n",
    "src/app.ts": 'import { adapter } from "../adapter.ts";\nexport const app = adapter;\n',
    "issues/1.md": "# The first issue\n",
    "address.txt": "address: 1 Main Street\n",
    x: "alpha one\nbeta two\nalpha one\n",
    "test_success.py": "def test_success():\n    assert 1 + 1 == 2\n",
    "package.json": '{ "name": "w", "version": "1.0.0", "scripts": { "test": "node --test" } }\n',
    "test/a.test.js": 'import { test } from "node:test";\ntest("ok", () => {});\n',
    Makefile: "all:\n\t@echo built\n",
    "list.txt": "victim\n",
    "victim/keep.txt": "keep\n",
    ".env": `REDTEAM_ENV_SECRET=${envSecret}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "--initial-branch=main");
  git("add", "--all");
  git("-c", "user.name=r", "-c", "user.email=r@r", "commit", "-qm", "initial");
}

/** Every file under `dir` (not following links) with its content, for a before/after comparison. */
export function snapshot(dir: string, skip: (relative: string) => boolean = () => false): string {
  const lines: string[] = [];
  const walk = (current: string) => {
    if (!existsSync(current)) return;
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      const relative = path.relative(dir, full);
      if (skip(relative)) continue;
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(full);
      else lines.push(`${relative}:${stat?.isFile() ? readFileSync(full, "utf8").slice(0, 4096) : "?"}`);
    }
  };
  walk(dir);
  return lines.join("\n");
}

/** What of `.git` decides what host git runs: config, hooks, info, commondir, not objects or refs. */
export const gitStateSkip = (relative: string) =>
  /^(objects|refs|logs)(\/|$)|^(index|ORIG_HEAD|FETCH_HEAD|COMMIT_EDITMSG|HEAD)$|\.lock$/.test(relative);

/** A server on the host's loopback: any request that reaches it came out of the sandbox. */
export async function loopbackServer(): Promise<{ port: number; hits: () => number; close: () => void }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits += 1;
    res.end("REDTEAM-LOOPBACK-REACHED\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => server.close(),
  };
}
