import type { AgentConfig } from "../config/agent-config.schema.ts";
import { CHECK_NAME } from "../forge/forge.ts";
import type { PullRequestState, RepositoryForge } from "../forge/repository-forge.ts";
import { type MergeFacts, mergeReadiness } from "./merge-readiness.ts";

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Auto-merge of issue-agent's own pull request, when `merge.auto` is on and mergeReadiness says
 * yes. Asked after an approval and whenever checks on an agent PR complete. After an approval that
 * is not enough, the pull request is told why; after a check, it is only logged.
 */
export async function mergeIfReady(options: {
  repository: RepositoryForge;
  pullNumber: number;
  config: AgentConfig;
  afterApproval: boolean;
  log: Log;
}): Promise<boolean> {
  const { repository, pullNumber, config, log } = options;
  if (!config.merge.auto) return false;
  const pull = await repository.pullRequest(pullNumber);
  const decision = mergeReadiness(await readMergeFacts(repository, pull));
  if (!decision.ready) {
    log.info({ pullNumber, reasons: decision.reasons }, "not merging yet");
    if (options.afterApproval) {
      await repository.comment(
        pullNumber,
        `issue-agent is not merging this yet (\`merge.auto\` is on):\n${decision.reasons.map((r) => `- ${r}`).join("\n")}`,
      );
    }
    return false;
  }
  // `sha` makes GitHub refuse the merge if the head moved after this check.
  const result = await repository.merge(pullNumber, { sha: pull.headSha, method: config.merge.method });
  if (!result.merged) {
    log.warn({ pullNumber, refusal: result.refusal }, "GitHub refused the merge");
    await repository.comment(
      pullNumber,
      `issue-agent could not merge this (\`merge.auto\` is on): GitHub answered "${result.refusal}". Resolve that (conflicts, branch protection, the allowed merge methods in \`merge.method\`), then approve again or merge by hand.`,
    );
    return false;
  }
  log.info({ pullNumber, approvedBy: decision.approvedBy }, "merged");
  return true;
}

/** What mergeReadiness decides on, asked of the host: reviews, who may approve, checks, statuses. */
async function readMergeFacts(repository: RepositoryForge, pull: PullRequestState): Promise<MergeFacts> {
  const reviews = await repository.reviews(pull.number);
  const approvers = new Set(
    reviews
      .filter((review) => review.state === "APPROVED" && review.author && !review.authorIsBot)
      .map((review) => review.author),
  );
  const writers = new Set<string>();
  for (const login of approvers) {
    if (await repository.hasWriteAccess(login)) writers.add(login);
  }
  const checkRuns = await repository.checkRuns(pull.headSha);
  const combinedStatus = await repository.combinedStatus(pull.headSha);
  return {
    pull: { state: pull.state, draft: pull.draft, headSha: pull.headSha, merged: pull.merged },
    reviews,
    writers,
    checkRuns: checkRuns.map((run) => ({ name: run.name, status: run.status, conclusion: run.conclusion })),
    combinedStatus,
    ownCheck: CHECK_NAME,
  };
}
