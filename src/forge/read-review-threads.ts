import type { Octokit } from "./octokit.ts";
import type { ReviewComment } from "./forge.ts";

/**
 * The pull request's review threads still waiting on the author: unresolved, on current code, last
 * written by a person. Each comes as its first comment with the whole thread as its body. Only
 * GraphQL knows whether a thread is resolved.
 */
export async function readOpenReviewThreads(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  pullNumber: number,
): Promise<ReviewComment[]> {
  const result = await octokit.graphql<ReviewThreadsQuery>(REVIEW_THREADS_QUERY, {
    owner: repo.owner,
    repo: repo.repo,
    number: pullNumber,
  });
  const threads = result.repository?.pullRequest?.reviewThreads.nodes ?? [];
  return threads.flatMap((thread) => {
    const comments = thread?.comments.nodes?.filter((c) => c !== null) ?? [];
    const first = comments[0];
    const last = comments.at(-1);
    if (!thread || thread.isResolved || thread.isOutdated || !first?.databaseId || !last) return [];
    if (last.author?.__typename === "Bot") return [];
    return [
      {
        id: first.databaseId,
        path: thread.path,
        line: thread.line ?? undefined,
        diffHunk: first.diffHunk,
        body: comments.map((c) => `@${c.author?.login ?? "ghost"}: ${c.body}`).join("\n\n"),
        author: first.author?.login ?? "ghost",
      },
    ];
  });
}

const REVIEW_THREADS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100) {
        nodes {
          isResolved
          isOutdated
          path
          line
          comments(first: 50) {
            nodes { databaseId body diffHunk author { __typename login } }
          }
        }
      }
    }
  }
}`;

interface ReviewThreadsQuery {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: Array<{
          isResolved: boolean;
          isOutdated: boolean;
          path: string;
          line: number | null;
          comments: {
            nodes: Array<{
              databaseId: number | null;
              body: string;
              diffHunk: string;
              author: { __typename: string; login: string } | null;
            } | null> | null;
          };
        } | null>;
      };
    } | null;
  } | null;
}
