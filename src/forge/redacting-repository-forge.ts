import type { SecretRedactor } from "../security/secret-redactor.ts";
import type { RepositoryForge } from "./repository-forge.ts";

/**
 * Every text the webhook side and the merge flow write to the host passes the redactor first: a
 * reply may quote a config error, GitHub's own refusal or a check's output, any of which can
 * carry a secret the process knows.
 */
export function redactingRepositoryForge(forge: RepositoryForge, redactor: SecretRedactor): RepositoryForge {
  const r = (text: string) => redactor.redact(text);
  return {
    loadConfig: () => forge.loadConfig(),
    hasWriteAccess: (login) => forge.hasWriteAccess(login),
    comment: (number, body) => forge.comment(number, r(body)),
    acknowledgeComment: (commentId) => forge.acknowledgeComment(commentId),
    pullRequest: (pullNumber) => forge.pullRequest(pullNumber),
    reviews: (pullNumber) => forge.reviews(pullNumber),
    reviewComments: (pullNumber, reviewId) => forge.reviewComments(pullNumber, reviewId),
    checkRuns: (ref) => forge.checkRuns(ref),
    checkAnnotations: (checkRunId, limit) => forge.checkAnnotations(checkRunId, limit),
    combinedStatus: (ref) => forge.combinedStatus(ref),
    merge: (pullNumber, options) => forge.merge(pullNumber, options),
    pullRequestBuildingOn: (branch) => forge.pullRequestBuildingOn(branch),
    deleteBranch: (branch) => forge.deleteBranch(branch),
    readStatusComment: (commentId) => forge.readStatusComment(commentId),
    editStatusComment: (commentId, body) => forge.editStatusComment(commentId, r(body)),
  };
}
