import type { Forge } from "../forge/forge.ts";
import type { SecretRedactor } from "../security/secret-redactor.ts";

/** Every text the job sends to the forge passes through the redactor first. */
export function redactingForge(forge: Forge, redactor: SecretRedactor): Forge {
  const r = (text: string) => redactor.redact(text);
  const output = <
    T extends {
      title: string;
      summary: string;
      text?: string;
      annotations?: Array<{ path: string; message: string }>;
    },
  >(
    o: T,
  ): T => ({
    ...o,
    title: r(o.title),
    summary: r(o.summary),
    ...(o.text === undefined ? {} : { text: r(o.text) }),
    ...(o.annotations ? { annotations: o.annotations.map((a) => ({ ...a, message: r(a.message) })) } : {}),
  });
  return {
    getRepository: () => forge.getRepository(),
    branchHead: (branch) => forge.branchHead(branch),
    getIssueThread: () => forge.getIssueThread(),
    gitCredentials: () => forge.gitCredentials(),
    commitAuthor: () => forge.commitAuthor(),
    setStatusComment: (body) => forge.setStatusComment(r(body)),
    comment: (body) => forge.comment(r(body)),
    createCheckRun: (sha, o) => forge.createCheckRun(sha, output(o)),
    updateCheckRun: (id, o) => forge.updateCheckRun(id, output(o)),
    completeCheckRun: (id, c, o) => forge.completeCheckRun(id, c, output(o)),
    reportCheckOn: (sha, c, o) => forge.reportCheckOn(sha, c, output(o)),
    openPullRequest: (d) => forge.openPullRequest({ ...d, title: r(d.title), body: r(d.body) }),
    updatePullRequestBody: (n, body) => forge.updatePullRequestBody(n, r(body)),
    getPullRequest: (n) => forge.getPullRequest(n),
    reviewComments: (n, id) => forge.reviewComments(n, id),
    openReviewThreads: (n) => forge.openReviewThreads(n),
    replyToReviewComment: (n, id, body) => forge.replyToReviewComment(n, id, r(body)),
    addLabels: (n, labels) => forge.addLabels(n, labels),
    requestReview: (n, logins) => forge.requestReview(n, logins),
  };
}
