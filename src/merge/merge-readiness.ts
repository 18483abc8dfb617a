/**
 * Whether issue-agent may merge its own pull request: pure, from what GitHub reports. A human with
 * write access must have approved the current head (an approval of an older commit does not
 * count, nor one withdrawn by a later review from the same person), every check and status on the
 * head must be green, issue-agent's own check must have passed (no gate pending or failing), and
 * the pull request must be an open, non-draft one.
 */
export interface MergeFacts {
  pull: { state: string; draft: boolean; headSha: string; merged: boolean };
  /** Reviews in submission order. */
  reviews: Array<{ author: string; authorIsBot: boolean; state: string; commitId: string }>;
  /** Logins with write, maintain or admin on the repository (asked of the API). */
  writers: ReadonlySet<string>;
  checkRuns: Array<{ name: string; status: string; conclusion: string | null }>;
  /** Combined commit status: "success", "pending", "failure"; with no statuses at all, GitHub says pending and 0. */
  combinedStatus: { state: string; totalCount: number };
  /** The name of issue-agent's own check. */
  ownCheck: string;
}

const GREEN = new Set(["success", "neutral", "skipped"]);

export function mergeReadiness(
  facts: MergeFacts,
): { ready: true; approvedBy: string } | { ready: false; reasons: string[] } {
  const reasons: string[] = [];
  if (facts.pull.merged || facts.pull.state !== "open") reasons.push("the pull request is not open");
  if (facts.pull.draft) reasons.push("the pull request is a draft (it needs a human's review first)");

  // Each person's latest review counts; only humans with write access; only the current head.
  const latest = new Map<string, (typeof facts.reviews)[number]>();
  for (const review of facts.reviews) {
    if (review.state.toLowerCase() === "commented") continue;
    latest.set(review.author, review);
  }
  const approvers = [...latest.values()].filter(
    (review) =>
      review.state.toLowerCase() === "approved" &&
      !review.authorIsBot &&
      facts.writers.has(review.author) &&
      review.commitId === facts.pull.headSha,
  );
  const blockers = [...latest.values()].filter(
    (review) => review.state.toLowerCase() === "changes_requested",
  );
  if (approvers.length === 0) {
    const stale = [...latest.values()].some(
      (review) =>
        review.state.toLowerCase() === "approved" && !review.authorIsBot && facts.writers.has(review.author),
    );
    reasons.push(
      stale
        ? "no approval of the current head by someone with write access (an approval of an earlier commit does not count)"
        : "no approval by someone with write access",
    );
  }
  if (blockers.length > 0)
    reasons.push(`changes requested by ${blockers.map((r) => `@${r.author}`).join(", ")}`);

  const own = facts.checkRuns.find((run) => run.name === facts.ownCheck);
  if (!own || own.status !== "completed" || own.conclusion !== "success") {
    reasons.push(`the ${facts.ownCheck} check has not passed on the head`);
  }
  const notGreen = facts.checkRuns.filter(
    (run) => run.status !== "completed" || !GREEN.has(run.conclusion ?? ""),
  );
  if (notGreen.length > 0) {
    reasons.push(
      `checks not green: ${notGreen.map((run) => `${run.name} (${run.conclusion ?? run.status})`).join(", ")}`,
    );
  }
  if (facts.combinedStatus.totalCount > 0 && facts.combinedStatus.state !== "success") {
    reasons.push(`commit statuses are ${facts.combinedStatus.state}`);
  }
  if (reasons.length > 0) return { ready: false, reasons: [...new Set(reasons)] };
  return { ready: true, approvedBy: approvers.at(-1)!.author };
}
