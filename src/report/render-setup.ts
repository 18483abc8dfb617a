import type { SetupReport } from "../workspace/setup/run-setup.ts";

/** The check run's line about setup: what ran, why those commands, how long, and what was undone. */
export function renderSetupNote(report: SetupReport): string {
  const commands = report.plan.commands.map((command) => `\`${command}\``).join(", then ");
  const seconds = (report.durationMs / 1000).toFixed(1);
  const lines = [`🧰 Setup (${report.plan.source}): ${commands} — done in ${seconds} s.`];
  if (report.restored.length > 0) {
    lines.push(
      `Setup changed tracked files (${listed(report.restored)}); those changes were undone, so they cannot reach the pull request.`,
    );
  }
  if (report.excluded.length > 0) {
    lines.push(`Left out of every commit, as setup output: ${listed(report.excluded)}.`);
  }
  return lines.join(" ");
}

function listed(paths: string[]): string {
  const shown = paths.slice(0, 5).map((p) => `\`${p}\``);
  return paths.length > 5 ? `${shown.join(", ")} and ${paths.length - 5} more` : shown.join(", ");
}
