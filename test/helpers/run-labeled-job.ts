import type nock from "nock";
import { expect } from "vitest";
import { issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "./e2e-harness.ts";
import { headOf } from "./git-fixtures.ts";
import {
  mockInstallationToken,
  mockJob,
  mockPermission,
  mockRepoConfig,
  newRecord,
  type GitHubRecord,
} from "./github-api-mock.ts";
import type { TurnSource } from "./scripted-model-server.ts";

export { waitFor } from "./wait-for.ts";

export const ISSUE_NUMBER = 21;

/**
 * Labels issue #21 and runs the job against a scripted model, with GitHub faked for everything the
 * job will ask. Asserts every expected GitHub call was made, and returns what GitHub received.
 */
export async function runLabeledJob(
  script: TurnSource[],
  options: {
    config?: string;
    files?: Record<string, string>;
    issueTitle?: string;
    /** Comments the job posts besides its status comment (give-up note, approval requests). */
    extraComments?: number;
    pullRequests?: number;
    labeled?: number[];
    /** App settings and process environment, beside the harness's own. */
    app?: Pick<Parameters<typeof startHarness>[0], "settings" | "env" | "hooks">;
    /** Runs while the job is under way, e.g. to deliver `/agent approve`. */
    during?: (h: Harness, record: GitHubRecord) => Promise<void>;
  } = {},
): Promise<{ h: Harness; record: GitHubRecord }> {
  const h = await startHarness({
    script,
    ...(options.files ? { files: options.files } : {}),
    ...options.app,
  });
  const record = newRecord();
  const pullRequests = options.pullRequests ?? 0;
  const scopes = [
    mockInstallationToken(),
    mockRepoConfig(options.config),
    mockPermission("maintainer", "admin"),
    mockTestIssueJob(h, record, {
      issueTitle: options.issueTitle ?? "Do something",
      expectPullRequest: pullRequests > 0,
      pullRequests,
      ...(options.labeled ? { labeled: options.labeled } : {}),
      extraComments: options.extraComments ?? 0,
    }),
  ];
  await h.probot.receive({
    id: "d-job",
    ...issuesLabeled({
      owner: OWNER,
      repo: REPO,
      issueNumber: ISSUE_NUMBER,
      issueTitle: options.issueTitle ?? "Do something",
    }),
  });
  await options.during?.(h, record);
  await h.agent.idle();
  for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  return { h, record };
}

/** What a job on the test issue asks of GitHub (see mockJob), with what a test changes. */
export function mockTestIssueJob(
  h: Harness,
  record: GitHubRecord,
  options: Partial<Parameters<typeof mockJob>[1]> = {},
): nock.Scope {
  return mockJob(record, {
    cloneUrl: h.cloneUrl,
    issueNumber: ISSUE_NUMBER,
    issueTitle: "Do something",
    issueBody: "Please.",
    baseSha: headOf(h.bare, "main"),
    expectPullRequest: false,
    ...options,
  });
}

/** The tool result the model received in its `index`-th request (0-based). */
export function toolResult(h: Harness, index: number): string {
  return String(h.model.requests[index]?.body.messages.at(-1)?.content);
}
