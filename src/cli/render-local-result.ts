import { markdownForTerminal } from "./markdown-for-terminal.ts";
import type { LocalRunResult } from "./run-local.ts";

const MARKS: Record<string, string> = {
  success: "Done",
  action_required: "Done, needs a careful review",
  neutral: "No change",
  cancelled: "Stopped",
  failure: "Failed",
};

/**
 * What the terminal shows when a local run ends: the check run's summary (the shared renderer's
 * words, with GitHub's HTML and emphasis taken out) and what the run left behind.
 */
export function renderLocalResult(run: LocalRunResult, repoPath: string): string {
  const lines: string[] = [];
  if (run.result) {
    const { conclusion, output } = run.result;
    // A successful headline names pull request numbers, which mean nothing here; the files below do.
    const headline = conclusion === "success" || conclusion === "action_required" ? "" : `: ${output.title}`;
    lines.push("", `${MARKS[conclusion] ?? conclusion}${headline}`, "", markdownForTerminal(output.summary));
  }
  lines.push("", ...keptLines(run, repoPath));
  return lines.join("\n");
}

/** After Ctrl-C: that the job stopped, the workspace is gone, and what is left. */
export function renderInterrupted(run: LocalRunResult, repoPath: string): string {
  return ["", "Stopped (Ctrl-C). The job's workspace was removed.", ...keptLines(run, repoPath)].join("\n");
}

function keptLines(run: LocalRunResult, repoPath: string): string[] {
  const log = run.logFile ? [`The job's log (open it in a browser): ${run.logFile}`] : [];
  if (run.pullRequestFiles.length === 0)
    return [`Kept: nothing; no branch was pushed to ${repoPath}.`, ...log];
  return [
    `Kept in ${repoPath}:`,
    ...run.pullRequestFiles.map((file) => `  branch ${file.branch}, described in ${file.path}`),
    ...log,
  ];
}
