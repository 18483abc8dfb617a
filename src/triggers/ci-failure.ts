import type { Octokit } from "../forge/octokit.ts";
import { CHECK_NAME } from "../forge/forge.ts";

export interface FailingCheck {
  name: string;
  conclusion: string;
  title: string;
  /** The check's own output (summary and text), as much as fits. */
  output: string;
  /** Annotations: `path:line message`. */
  annotations: string[];
}

const MAX_OUTPUT_CHARS = 4_000;
const MAX_ANNOTATIONS = 20;
const RED = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure"]);

/**
 * What the repository's CI says about a commit: the checks that failed on the pull request's head
 * (issue-agent's own check left out), with their output and annotations, and whether the base
 * branch is green — a red base means the failure is not the pull request's to fix.
 */
export async function readCiFailure(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  headSha: string,
  baseRef: string,
): Promise<{ failing: FailingCheck[]; baseGreen: boolean }> {
  const head = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: headSha,
    per_page: 100,
  });
  const failing: FailingCheck[] = [];
  for (const run of head) {
    if (run.name === CHECK_NAME || !RED.has(run.conclusion ?? "")) continue;
    const annotations = run.output.annotations_count
      ? (
          await octokit.rest.checks.listAnnotations({
            ...repo,
            check_run_id: run.id,
            per_page: MAX_ANNOTATIONS,
          })
        ).data
      : [];
    failing.push({
      name: run.name,
      conclusion: run.conclusion ?? "failure",
      title: run.output.title ?? "",
      output: [run.output.summary, run.output.text].filter(Boolean).join("\n").slice(-MAX_OUTPUT_CHARS),
      annotations: annotations.map((a) => `${a.path}:${a.start_line} ${a.message ?? ""}`.trim()),
    });
  }
  const base = await octokit.paginate(octokit.rest.checks.listForRef, {
    ...repo,
    ref: baseRef,
    per_page: 100,
  });
  const baseGreen = base.every(
    (run) => run.status === "completed" && ["success", "neutral", "skipped"].includes(run.conclusion ?? ""),
  );
  return { failing, baseGreen };
}

/** The failure as the follow-up job's input. */
export function renderCiFailure(failing: FailingCheck[], attempt: number, maxAttempts: number): string {
  return [
    `The repository's CI failed on this pull request (fix attempt ${attempt} of ${maxAttempts}). Failing checks:`,
    ...failing.map((check) =>
      [
        `--- ${check.name} (${check.conclusion})${check.title ? `: ${check.title}` : ""} ---`,
        check.output || "(no output)",
        ...(check.annotations.length ? ["Annotations:", ...check.annotations.map((a) => `- ${a}`)] : []),
      ].join("\n"),
    ),
  ].join("\n\n");
}

/** The pull request's notice that the agent stopped trying to fix CI. */
export function renderCiGaveUp(failing: FailingCheck[], maxAttempts: number): string {
  const names = failing.map((check) => `\`${check.name}\``).join(", ");
  return `CI still fails on this pull request (${names}) after ${maxAttempts} fix attempt${maxAttempts === 1 ? "" : "s"} by issue-agent, so it stops trying. Push a fix, or comment \`/agent <instructions>\` here to ask for another attempt; \`ci.max_fix_attempts\` in .github/agent.yml sets how many it makes on its own.`;
}
