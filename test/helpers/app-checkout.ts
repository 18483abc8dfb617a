import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { freePort } from "./free-port.ts";
import { waitFor } from "./wait-for.ts";

export { freePort, waitFor };

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * A directory laid out like a fresh clone after `npm ci`: the project files a user has, with
 * `src/`, `scripts/` and `node_modules/` linked from this checkout so no install is needed.
 */
export function makeCheckout(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "issue-agent-checkout-"));
  for (const file of ["package.json", "app.yml", ".npmrc", ".nvmrc"]) {
    if (existsSync(path.join(ROOT, file))) copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  for (const folder of ["src", "scripts", "node_modules"]) {
    symlinkSync(path.join(ROOT, folder), path.join(dir, folder));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `.env` as Probot's setup writes it (probot/lib/helpers/update-env.js): `KEY=value` lines, newlines
 * escaped as `\n`, and the private key wrapped in double quotes by the manifest conversion.
 */
export function writeProbotDotEnv(dir: string, values: Record<string, string>): void {
  const lines = Object.entries(values).map(([key, value]) => {
    const written = key === "PRIVATE_KEY" ? `"${value}"` : value;
    return `${key}=${written.replace(/\n/g, "\\n")}`;
  });
  writeFileSync(path.join(dir, ".env"), lines.join("\n"));
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a command in `dir` with only the given environment (plus PATH and HOME), capturing output. */
export function spawnIn(
  dir: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Spawned {
  const child = spawn(command, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const chunks: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => chunks.join(""), exited };
}

/** Ends a spawned command and everything it started (npm runs node as its child). */
export function killGroup(spawned: Spawned | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (spawned?.child.pid === undefined || spawned.child.exitCode !== null) return;
  try {
    process.kill(-spawned.child.pid, signal);
  } catch {
    // already gone
  }
}

/** Waits until a spawned command prints `text`; fails at once, with its output, if it exits first. */
export async function waitForOutput(spawned: Spawned, text: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    () => {
      if (spawned.child.exitCode !== null) throw new Error(`exited before "${text}":\n${spawned.output()}`);
      return spawned.output().includes(text);
    },
    timeoutMs,
    100,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${spawned.output()}`);
  });
}

/**
 * Fresh checkouts with the `.env` Probot's setup leaves behind, for the tests of one file: each
 * runs npm scripts (`npm start`, `npm run worker`) with JSON logs and the given environment.
 * After each test, everything started is killed and the checkouts are removed.
 */
export function appCheckouts(): (dotEnv: Record<string, string>) => {
  dir: string;
  npm(args: string[], env: Record<string, string>): Spawned;
} {
  const started: Spawned[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const spawned of started.splice(0)) killGroup(spawned);
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return (dotEnv) => {
    const checkout = makeCheckout();
    cleanups.push(checkout.cleanup);
    writeProbotDotEnv(checkout.dir, dotEnv);
    return {
      dir: checkout.dir,
      npm(args, env) {
        const spawned = spawnIn(checkout.dir, "npm", args, { LOG_FORMAT: "json", ...env });
        started.push(spawned);
        return spawned;
      },
    };
  };
}
