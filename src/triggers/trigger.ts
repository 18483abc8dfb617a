// The trigger vocabulary is the job record's (src/jobs/trigger.ts); these names stay for the intake.
export {
  issueKey,
  type PullRequestEvent,
  type Revision,
  type Trigger,
  type TriggerRequest,
} from "../jobs/trigger.ts";

/** The issue an agent branch (`agent/<issue>-<slug>`) belongs to; undefined for other branches. */
export function issueOfAgentBranch(branch: string): number | undefined {
  const match = /^agent\/(\d+)-/.exec(branch);
  return match ? Number(match[1]) : undefined;
}

/**
 * The issue a pull request works on when issue-agent opened it: its branch is `agent/<issue>-…`
 * in the repository itself (a fork's branch of that name is someone else's); otherwise undefined.
 */
export function issueOfAgentPullRequest(pull: {
  head: { ref: string; repo?: { full_name: string } | null | undefined };
  base: { repo: { full_name: string } };
}): number | undefined {
  if (pull.head.repo?.full_name !== pull.base.repo.full_name) return undefined;
  return issueOfAgentBranch(pull.head.ref);
}
