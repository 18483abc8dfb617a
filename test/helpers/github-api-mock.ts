import nock from "nock";
import { INSTALLATION_ID, INSTALLATION_TOKEN, OWNER, REPO } from "./e2e-harness.ts";

let API = "https://api.github.com";
/** Path prefix of the REST API: empty on github.com, `/api/v3` on GitHub Enterprise Server. */
let PREFIX = "";

/** Points the fakes at another API root, e.g. a GitHub Enterprise Server's `https://host/api/v3`. */
export function useApiBase(base: string): () => void {
  const previous = { API, PREFIX };
  const url = new URL(base);
  API = url.origin;
  PREFIX = url.pathname.replace(/\/$/, "");
  return () => {
    ({ API, PREFIX } = previous);
  };
}
export const BASE_SHA_PLACEHOLDER = "base-sha-from-api";

/** Requests the fake GitHub received, by kind, to assert what a user would see. */
export interface GitHubRecord {
  comments: Array<{ id: number; body: string }>;
  commentEdits: Array<{ id: number; body: string }>;
  checkRuns: Array<Record<string, any>>;
  checkRunUpdates: Array<Record<string, any>>;
  pulls: Array<Record<string, any>>;
  reviewRequests: Array<Record<string, any>>;
  reactions: Array<Record<string, any>>;
  pullEdits: Array<Record<string, any>>;
  labels: Array<Record<string, any>>;
  reviewReplies: Array<{ commentId: number; body: string }>;
}

export function newRecord(): GitHubRecord {
  return {
    comments: [],
    commentEdits: [],
    checkRuns: [],
    checkRunUpdates: [],
    pulls: [],
    reviewRequests: [],
    reactions: [],
    pullEdits: [],
    labels: [],
    reviewReplies: [],
  };
}

const repoPath = () => `${PREFIX}/repos/${OWNER}/${REPO}`;

/**
 * Records a request body when (and only when) its interceptor answers. nock runs body matchers
 * against requests meant for other interceptors, and (v15, with fetch) hangs on a reply function
 * that takes the body, so the matcher remembers the candidate and the reply commits it.
 */
function recordInto<T>(
  list: T[],
  toEntry: (body: any) => T,
  accept: (body: any) => boolean = () => true,
): { match: (body: any) => boolean; commit: () => void } {
  let candidate: any;
  return {
    match: (body) => {
      candidate = body;
      return accept(body);
    },
    commit: () => list.push(toEntry(candidate)),
  };
}

/** The installation token endpoint; Probot caches the token, so it is asked once per test. */
export function mockInstallationToken(): nock.Scope {
  return nock(API)
    .post(`${PREFIX}/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, {
      token: INSTALLATION_TOKEN,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: {
        contents: "write",
        issues: "write",
        pull_requests: "write",
        checks: "write",
        metadata: "read",
      },
      repository_selection: "all",
    });
}

/** `.github/agent.yml` on the default branch: absent (404 from the repo and the org's .github repo) or given. */
export function mockRepoConfig(yamlText: string | undefined): nock.Scope {
  const scope = nock(API);
  if (yamlText === undefined) {
    scope.get(`${repoPath()}/contents/.github%2Fagent.yml`).reply(404, { message: "Not Found" });
  } else {
    scope
      .get(`${repoPath()}/contents/.github%2Fagent.yml`)
      .reply(200, yamlText, { "content-type": "text/plain; charset=utf-8" });
  }
  // The owner's defaults are asked for beside the repository's file, whether or not it has one.
  scope
    .get(`${PREFIX}/repos/${OWNER}/.github/contents/.github%2Fagent.yml`)
    .reply(404, { message: "Not Found" });
  return scope;
}

export function mockPermission(
  username: string,
  role: "admin" | "maintain" | "write" | "triage" | "read" | "none",
): nock.Scope {
  const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return nock(API)
    .get(`${repoPath()}/collaborators/${username}/permission`)
    .reply(200, { permission, role_name: role, user: { login: username } });
}

export function mockReaction(record: GitHubRecord, commentId: number): nock.Scope {
  const reaction = recordInto(record.reactions, (body) => body);
  return nock(API)
    .post(`${repoPath()}/issues/comments/${commentId}/reactions`, (body) => reaction.match(body))
    .reply(201, () => {
      reaction.commit();
      return { id: 1, content: "eyes" };
    });
}

/** Comments posted on the issue (replies, refusals, status comment creation). */
export function mockIssueComments(
  record: GitHubRecord,
  issueNumber: number,
  times = 1,
  firstId = 500,
): nock.Scope {
  let nextId = firstId;
  const comment = recordInto(record.comments, (body) => ({ id: nextId, body: body.body }));
  return nock(API)
    .post(`${repoPath()}/issues/${issueNumber}/comments`, (body) => comment.match(body))
    .times(times)
    .reply(201, () => {
      comment.commit();
      return {
        id: nextId++,
        html_url: `https://github.com/${OWNER}/${REPO}/issues/${issueNumber}#issuecomment`,
      };
    });
}

/** Everything a job asks of GitHub from start to a published PR. */
export function mockJob(
  record: GitHubRecord,
  options: {
    cloneUrl: string;
    issueNumber: number;
    issueTitle: string;
    issueBody: string;
    baseSha: string;
    expectPullRequest: boolean;
    /** How many PRs the job opens (a stacked series when more than one); default 1 with expectPullRequest. */
    pullRequests?: number;
    /** PR numbers that get the needs-human-review label. */
    labeled?: number[];
    extraComments?: number;
    /** A resumed job edits the check run and status comment it already has instead of creating them. */
    resumed?: boolean;
  },
): nock.Scope {
  const { issueNumber } = options;
  const startCheck = recordInto(
    record.checkRuns,
    (body) => body,
    (body) => body.status === "in_progress",
  );
  const commentEdit = recordInto(record.commentEdits, (body) => ({ id: 600, body: body.body }));
  const checkUpdate = recordInto(record.checkRunUpdates, (body) => body);
  const pull = recordInto(record.pulls, (body) => body);
  const review = recordInto(record.reviewRequests, (body) => body);
  const headCheck = recordInto(
    record.checkRuns,
    (body) => body,
    (body) => body.status === "completed",
  );
  const pullEdit = recordInto(record.pullEdits, (body) => body);
  const label = recordInto(record.labels, (body) => body);
  const scope = nock(API)
    .get(repoPath())
    .reply(200, {
      name: REPO,
      full_name: `${OWNER}/${REPO}`,
      clone_url: options.cloneUrl,
      default_branch: "main",
    })
    .get(`${repoPath()}/branches/main`)
    .reply(200, { name: "main", commit: { sha: options.baseSha } })
    .post(`${repoPath()}/check-runs`, (body) => startCheck.match(body))
    .optionally(options.resumed === true)
    .reply(201, () => {
      startCheck.commit();
      return { id: 77 };
    })
    .get(`${repoPath()}/issues/${issueNumber}`)
    .reply(200, {
      number: issueNumber,
      title: options.issueTitle,
      body: options.issueBody,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/${issueNumber}`,
      user: { login: "reporter" },
    })
    .get(`${repoPath()}/issues/${issueNumber}/comments`)
    .query(true)
    .reply(200, []);
  // The status comment and the check run are edited as often as the job advances.
  nock(API)
    .persist()
    .patch(`${repoPath()}/issues/comments/600`, (body) => commentEdit.match(body))
    .reply(200, () => {
      commentEdit.commit();
      return { id: 600 };
    })
    .patch(`${repoPath()}/check-runs/77`, (body) => checkUpdate.match(body))
    .reply(200, () => {
      checkUpdate.commit();
      return { id: 77 };
    });
  const newComments = (options.resumed ? 0 : 1) + (options.extraComments ?? 0);
  if (newComments > 0) mockIssueComments(record, issueNumber, newComments, options.resumed ? 601 : 600);
  const pullCount = options.pullRequests ?? (options.expectPullRequest ? 1 : 0);
  // The app's commit identity, looked up when the agent first tries to deliver a step.
  nock(API)
    .get(`${PREFIX}/app`)
    .optionally(pullCount === 0)
    .reply(200, { id: 1234, slug: "issue-agent" })
    .get(`${PREFIX}/users/issue-agent%5Bbot%5D`)
    .optionally(pullCount === 0)
    .reply(200, { id: 98765, login: "issue-agent[bot]" });
  if (pullCount > 0) {
    let nextPull = 12;
    const webBase = API === "https://api.github.com" ? "https://github.com" : API;
    scope
      .post(`${repoPath()}/pulls`, (body) => pull.match(body))
      .times(pullCount)
      .reply(201, () => {
        pull.commit();
        const number = nextPull++;
        return { number, html_url: `${webBase}/${OWNER}/${REPO}/pull/${number}` };
      });
    for (let k = 0; k < pullCount; k += 1) {
      scope
        .post(`${repoPath()}/pulls/${12 + k}/requested_reviewers`, (body) => review.match(body))
        .reply(201, () => {
          review.commit();
          return {};
        })
        .post(`${repoPath()}/check-runs`, (body) => headCheck.match(body))
        .reply(201, () => {
          headCheck.commit();
          return { id: 78 + k };
        });
      if (pullCount > 1) {
        scope
          .patch(`${repoPath()}/pulls/${12 + k}`, (body) => pullEdit.match(body))
          .reply(200, () => {
            pullEdit.commit();
            return { number: 12 + k };
          });
      }
    }
    for (const number of options.labeled ?? []) {
      scope
        .post(`${repoPath()}/issues/${number}/labels`, (body) => label.match(body))
        .reply(200, () => {
          label.commit();
          return [];
        });
    }
  }
  return scope;
}

/** What a follow-up job on pull request `pullNumber` asks and sends besides a job's usual calls. */
export function mockRevision(
  record: GitHubRecord,
  options: {
    pullNumber: number;
    headRef: string;
    /** The review whose comments are fetched; none for a CI fix. */
    reviewId?: number;
    comments: Array<{ id: number; path: string; line: number; diff_hunk: string; body: string }>;
    pullBody: string;
  },
): nock.Scope {
  const pullPath = `${repoPath()}/pulls/${options.pullNumber}`;
  const webBase = API === "https://api.github.com" ? "https://github.com" : API;
  const edit = recordInto(record.pullEdits, (body) => body);
  const headCheck = recordInto(
    record.checkRuns,
    (body) => body,
    (body) => body.status === "completed",
  );
  const scope = nock(API);
  if (options.reviewId !== undefined) {
    scope
      .get(`${pullPath}/reviews/${options.reviewId}/comments`)
      .query(true)
      .reply(
        200,
        options.comments.map((comment) => ({ ...comment, user: { login: "maintainer" } })),
      );
  }
  scope
    .patch(pullPath, (body) => edit.match(body))
    .reply(200, () => {
      edit.commit();
      return { number: options.pullNumber };
    })
    .post(`${repoPath()}/check-runs`, (body) => headCheck.match(body))
    .reply(201, () => {
      headCheck.commit();
      return { id: 99 };
    });
  for (const comment of options.comments) {
    const reply = recordInto(record.reviewReplies, (body) => ({ commentId: comment.id, body: body.body }));
    scope
      .post(`${pullPath}/comments/${comment.id}/replies`, (body) => reply.match(body))
      .reply(201, () => {
        reply.commit();
        return { id: comment.id + 1000 };
      });
  }
  nock(API)
    .persist()
    .get(pullPath)
    .reply(200, {
      number: options.pullNumber,
      html_url: `${webBase}/${OWNER}/${REPO}/pull/${options.pullNumber}`,
      body: options.pullBody,
      head: { ref: options.headRef, sha: "head-sha", repo: { full_name: `${OWNER}/${REPO}` } },
      base: { repo: { full_name: `${OWNER}/${REPO}` } },
    });
  return scope;
}
