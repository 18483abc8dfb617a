// What the benchmark's measurements share: statistics, the targets and their verdicts, and the
// remote GitHub process (see remote-github.ts).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";

/** The installation token the fake GitHub hands out and its git server demands. */
export const INSTALLATION_TOKEN = "ghs_BENCHinstallationTOKEN0123456789abcdef";

export const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
};
export const median = (values: readonly number[]) => percentile(values, 50);
export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A measured ratio against a baseline of the same run, and the most it may be. */
export interface RatioResult {
  name: string;
  ratio: number;
  target: number;
}

/** Prints one ratio with its target and verdict; returns it for the summary. */
export function reportRatio(name: string, ratio: number, target: number): RatioResult {
  console.log(`  ${verdictLine({ name, ratio, target })}`);
  return { name, ratio, target };
}

export const passes = (result: RatioResult) => result.ratio <= result.target;

export function verdictLine(result: RatioResult): string {
  return `${passes(result) ? "PASS" : "FAIL"}  ${result.name}: ${result.ratio.toFixed(2)}× (target ≤ ${result.target}×)`;
}

/**
 * GitHub's API, and a repository of `files` files over smart-HTTP when `files` > 0, in a child
 * process; each answer `latencyMs` late, as from a GitHub across a network.
 */
export async function remoteGitHub(files: number, latencyMs = 0) {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "remote-github.ts"), INSTALLATION_TOKEN, `${files}`, `${latencyMs}`],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`remote GitHub exited with ${code}`)));
  });
  lines.close();
  const { api, cloneUrl } = JSON.parse(first) as { api: string; cloneUrl: string };
  return {
    baseUrl: api,
    cloneUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
