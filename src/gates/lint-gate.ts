import type { GateResult } from "../jobs/run-log.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";

const LINT_TIMEOUT_MS = 5 * 60_000;
const LINT_OUTPUT_BYTES = 16 * 1024;

/** A lint command with `{files}` replaced by the shell-quoted file list. */
export function lintCommandFor(template: string, files: readonly string[]): string {
  const quoted = files.map((file) => `'${file.replace(/'/g, `'\\''`)}'`).join(" ");
  return template.includes("{files}") ? template.split("{files}").join(quoted) : template;
}

/** Runs every configured lint command on `files`; each failure keeps its output for the model and the report. */
export async function runLint(
  commands: readonly string[],
  files: readonly string[],
  run: { sandbox: Sandbox; cwd: string; signal?: AbortSignal },
): Promise<Array<{ command: string; exitCode: number | null; output: string }>> {
  const failures = [];
  if (files.length === 0) return [];
  for (const template of commands) {
    const command = lintCommandFor(template, files);
    const result = await run.sandbox.run({
      command,
      cwd: run.cwd,
      timeoutMs: LINT_TIMEOUT_MS,
      maxOutputBytes: LINT_OUTPUT_BYTES,
      ...(run.signal ? { signal: run.signal } : {}),
    });
    if (result.exitCode !== 0) failures.push({ command, exitCode: result.exitCode, output: result.output });
  }
  return failures;
}

export async function lintGate(
  commands: readonly string[],
  files: readonly string[],
  run: { sandbox: Sandbox; cwd: string; signal?: AbortSignal },
): Promise<GateResult> {
  if (commands.length === 0)
    return { gate: "lint", status: "skipped", detail: "no `gates.lint` commands configured" };
  if (files.length === 0) return { gate: "lint", status: "skipped", detail: "no files left to lint" };
  const failures = await runLint(commands, files, run);
  if (failures.length === 0)
    return {
      gate: "lint",
      status: "passed",
      detail: `${commands.length} command(s) on ${files.length} file(s)`,
    };
  return {
    gate: "lint",
    status: "failed",
    detail: failures.map((f) => `\`${f.command}\` exited ${f.exitCode ?? "(timed out)"}`).join("; "),
    excerpts: failures.map((f) => ({ title: f.command, text: f.output })),
    files: files.map((path) => ({
      path,
      message: `Lint failed: ${failures.map((f) => f.command).join(", ")}`,
    })),
  };
}
