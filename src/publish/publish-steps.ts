import type { DeliveredStep, RunLog } from "../jobs/run-log.ts";
import { describeError, PublishError } from "../errors.ts";
import type { CheckConclusion, Forge, PullRequestRef } from "../forge/forge.ts";
import { renderGateTable, unverifiedGates } from "../report/render-guardrails.ts";
import { pushBranches } from "../workspace/commit-and-push.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { renderPullRequestBody, type PullRequestContent } from "../report/render-pull-request.ts";

export const REVIEW_LABEL = "needs-human-review";

export interface PublishedStep {
  step: DeliveredStep;
  branch: string;
  pull: PullRequestRef;
  conclusion: CheckConclusion;
}

/**
 * Publishes the delivered steps as a stack of pull requests: step 1 against the default branch,
 * step k against step k−1's branch. All branches are pushed first, then the PRs are opened in
 * order and their bodies linked to each other. Steps that need a human open as drafts with a label.
 */
export async function publishSteps(options: {
  forge: Forge;
  workspace: Workspace;
  log: RunLog;
  content: Omit<PullRequestContent, "step" | "part">;
  reviewer: string;
  redact: (text: string) => string;
  onNote: (note: string) => Promise<void>;
}): Promise<PublishedStep[]> {
  const { forge, workspace, log } = options;
  const steps = log.steps;
  const branches = steps.map((_, i) =>
    steps.length === 1 ? workspace.branch : `${workspace.branch}-part-${i + 1}`,
  );
  await pushBranches(
    workspace,
    steps.map((step, i) => ({ sha: step.sha, branch: branches[i] as string })),
    options.redact,
  );

  const published: PublishedStep[] = [];
  const links: Array<string | undefined> = steps.map(() => undefined);
  const bodyFor = (index: number) =>
    renderPullRequestBody({
      ...options.content,
      step: steps[index] as DeliveredStep,
      part: { index: index + 1, count: steps.length, links },
    });
  for (const [index, step] of steps.entries()) {
    const branch = branches[index] as string;
    const title = steps.length === 1 ? step.title : `[${index + 1}/${steps.length}] ${step.title}`;
    const pull = await forge
      .openPullRequest({
        title,
        body: bodyFor(index),
        head: branch,
        base: index === 0 ? workspace.baseBranch : (branches[index - 1] as string),
        draft: step.reviewReasons.length > 0,
      })
      .catch((error: unknown) => {
        const opened = published.map((p) => p.pull.url).join(", ");
        throw new PublishError(
          `Branch \`${branch}\` was pushed, but its pull request could not be opened: ${describeError(error)}.${opened ? ` Already opened: ${opened}.` : ""}`,
          "Open the remaining pull requests from the pushed branches by hand, or comment `/agent` to retry.",
        );
      });
    links[index] = pull.url;
    published.push({
      step,
      branch,
      pull,
      conclusion: stepConclusion(step),
    });
  }

  for (const [index, entry] of published.entries()) {
    if (steps.length > 1) await forge.updatePullRequestBody(entry.pull.number, bodyFor(index));
    if (entry.step.reviewReasons.length > 0) {
      await forge
        .addLabels(entry.pull.number, [REVIEW_LABEL])
        .catch((error: unknown) =>
          options.onNote(
            `Could not label #${entry.pull.number} \`${REVIEW_LABEL}\`: ${describeError(error)}`,
          ),
        );
    }
    await forge
      .requestReview(entry.pull.number, [options.reviewer])
      .catch((error: unknown) =>
        options.onNote(
          `Could not request a review of #${entry.pull.number} from @${options.reviewer}: ${describeError(error)}`,
        ),
      );
    await forge.reportCheckOn(entry.step.sha, entry.conclusion, {
      title: CHECK_TITLES[entry.conclusion] ?? entry.conclusion,
      summary: renderGateTable(entry.step.gates),
    });
  }
  return published;
}

const CHECK_TITLES: Partial<Record<CheckConclusion, string>> = {
  success: "all gates passed",
  action_required: "needs human review",
  neutral: "tests not verified",
};

/** Human review first; then a step whose tests could not be run is neutral, never green. */
export function stepConclusion(step: DeliveredStep): CheckConclusion {
  if (step.reviewReasons.length > 0) return "action_required";
  return unverifiedGates(step.gates).length > 0 ? "neutral" : "success";
}
