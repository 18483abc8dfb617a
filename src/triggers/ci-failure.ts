import { CHECK_NAME } from "../forge/forge.ts";
import type { RepositoryForge } from "../forge/repository-forge.ts";
import { formatCount } from "../format-count.ts";

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
  repository: Pick<RepositoryForge, "checkRuns" | "checkAnnotations">,
  headSha: string,
  baseRef: string,
): Promise<{ failing: FailingCheck[]; baseGreen: boolean }> {
  const failing: FailingCheck[] = [];
  for (const run of await repository.checkRuns(headSha)) {
    if (run.name === CHECK_NAME || !RED.has(run.conclusion ?? "")) continue;
    failing.push({
      name: run.name,
      conclusion: run.conclusion ?? "failure",
      title: run.title,
      output: [run.summary, run.text].filter(Boolean).join("\n").slice(-MAX_OUTPUT_CHARS),
      annotations: run.annotationsCount ? await repository.checkAnnotations(run.id, MAX_ANNOTATIONS) : [],
    });
  }
  const base = await repository.checkRuns(baseRef);
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
  return `CI still fails on this pull request (${names}) after ${formatCount(maxAttempts, "fix attempt")} by issue-agent, so it stops trying. Push a fix, or comment \`/agent <instructions>\` here to ask for another attempt; \`ci.max_fix_attempts\` in .github/agent.yml sets how many it makes on its own.`;
}
