import { appendFile } from "node:fs/promises";
import path from "node:path";
import { SetupFailed } from "../../errors.ts";
import { formatDuration } from "../../format-duration.ts";
import type { Sandbox } from "../../sandbox/sandbox.ts";
import type { Workspace } from "../workspace.ts";
import type { SetupPlan } from "./detect-setup.ts";

/** Output kept per setup command; a failure report shows its last lines. */
const SETUP_OUTPUT_BYTES = 64 * 1024;
const FAILURE_LINES = 40;
const FAILURE_CHARS = 4_000;

export interface SetupReport {
  plan: SetupPlan;
  durationMs: number;
  /** Tracked files setup changed; the changes were undone so they cannot reach a commit. */
  restored: string[];
  /** New untracked paths setup left (excluded from commits, kept on disk). */
  excluded: string[];
}

/**
 * Runs the setup commands in order, in the setup sandbox, under one time limit for all of them.
 * The first failure ends the job before any model call, with the command, its exit and its last
 * lines. Afterwards nothing setup wrote can reach a commit: new untracked paths are excluded in
 * `.git/info/exclude`, and changes to tracked files (a lockfile rewritten by an install) are undone.
 */
export async function runSetup(options: {
  workspace: Pick<Workspace, "dir" | "git">;
  plan: SetupPlan;
  sandbox: Sandbox;
  timeoutMs: number;
  signal?: AbortSignal;
  redact: (text: string) => string;
}): Promise<SetupReport> {
  const { plan, workspace } = options;
  const started = Date.now();
  for (const command of plan.commands) {
    const remainingMs = options.timeoutMs - (Date.now() - started);
    if (remainingMs <= 0) throw setupTimedOut(command, options.timeoutMs, plan);
    const result = await options.sandbox.run({
      command,
      cwd: workspace.dir,
      timeoutMs: remainingMs,
      maxOutputBytes: SETUP_OUTPUT_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    options.signal?.throwIfAborted();
    if (result.timedOut) throw setupTimedOut(command, options.timeoutMs, plan, result.output, options.redact);
    if (result.exitCode !== 0) {
      throw new SetupFailed(
        `setup failed: \`${command}\` exited ${result.exitCode ?? "on a signal"} after ${formatDuration(result.durationMs)} (setup ${plan.source}), last lines:\n\n${lastLines(options.redact(result.output))}`,
        SETUP_HINT,
      );
    }
  }
  const leftovers = await keepOutOfCommits(workspace);
  return { plan, durationMs: Date.now() - started, ...leftovers };
}

const NOTHING_SPENT = "The agent was not started, so no model tokens were spent.";
const SETUP_HINT = `Fix the install on the default branch, or set \`setup:\` in \`.github/agent.yml\` to the commands that prepare this repository (\`setup: []\` skips setup). ${NOTHING_SPENT}`;

function setupTimedOut(
  command: string,
  timeoutMs: number,
  plan: SetupPlan,
  output = "",
  redact: (text: string) => string = (text) => text,
): SetupFailed {
  const tail = output.trim() ? `, last lines:\n\n${lastLines(redact(output))}` : ".";
  return new SetupFailed(
    `setup failed: \`${command}\` was still running when setup's ${formatDuration(timeoutMs)} ran out (setup ${plan.source})${tail}`,
    `Raise \`setup.timeout_minutes\` in \`.github/agent.yml\`, or make the setup faster. ${NOTHING_SPENT}`,
  );
}

async function keepOutOfCommits(
  workspace: Pick<Workspace, "dir" | "git">,
): Promise<Pick<SetupReport, "restored" | "excluded">> {
  const status = await workspace.git.raw(["status", "--porcelain=v1", "-z", "--untracked-files=normal"]);
  const restored: string[] = [];
  const excluded: string[] = [];
  for (const entry of status.split("\0").filter(Boolean)) {
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code === "??") excluded.push(file);
    else restored.push(file);
  }
  if (restored.length > 0) await workspace.git.raw(["checkout", "--", ...restored]);
  if (excluded.length > 0) {
    // Anchored at the root, so only these very paths are excluded.
    const lines = excluded.map((file) => `/${file.replace(/([*?[\]\\!#])/g, "\\$1")}`);
    await appendFile(path.join(workspace.dir, ".git", "info", "exclude"), `${lines.join("\n")}\n`);
  }
  return { restored, excluded };
}

function lastLines(output: string): string {
  const lines = output.trimEnd().split("\n").slice(-FAILURE_LINES).join("\n");
  const text = lines.length > FAILURE_CHARS ? `…${lines.slice(-FAILURE_CHARS)}` : lines;
  return `\`\`\`\n${text.replaceAll("```", "`\u200b``")}\n\`\`\``;
}
