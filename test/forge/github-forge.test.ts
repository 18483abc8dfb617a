import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GitHubForge } from "../../src/forge/github-forge.ts";
import type { Octokit } from "../../src/forge/octokit.ts";
import { LogCapture, testProbot } from "../helpers/test-probot.ts";

const ENTERPRISE = "http://github.example.test";
const API = `${ENTERPRISE}/api/v3`;

// Unit files share their workers: what this file tells nock must not outlive it.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** The job's forge as the app makes it on an Enterprise server, with no token cached yet. */
async function enterpriseForge(): Promise<GitHubForge> {
  const probot = testProbot(new LogCapture(), { baseUrl: API });
  return new GitHubForge({
    octokit: (await probot.auth(7)) as Octokit,
    owner: "octo",
    repo: "repo",
    issueNumber: 1,
    appIdentity: async () => ({ name: "issue-agent[bot]", email: "bot@example.test" }),
  });
}

describe("the GitHub Forge on a GitHub Enterprise server", () => {
  it("gives git the installation token minted by the server the app talks to, read beside the repository", async () => {
    const scope = nock(API)
      .post("/app/installations/7/access_tokens")
      .reply(201, { token: "ghs_enterprise", expires_at: new Date(Date.now() + 3_600_000).toISOString() })
      .get("/repos/octo/repo")
      .reply(200, { clone_url: `${ENTERPRISE}/octo/repo.git`, default_branch: "main" });
    const forge = await enterpriseForge();
    // No token is cached yet: the credentials are asked for while the repository is being read.
    const [repository, credentials] = await Promise.all([forge.getRepository(), forge.gitCredentials()]);
    expect(repository.defaultBranch).toBe("main");
    expect(credentials).toEqual({ username: "x-access-token", password: "ghs_enterprise" });
    expect(scope.pendingMocks()).toEqual([]);
  });

  it("never asks api.github.com for the token when the Enterprise server fails to mint it", async () => {
    nock(API).post("/app/installations/7/access_tokens").times(2).reply(500, { message: "Server Error" });
    const forge = await enterpriseForge();
    const [repository, credentials] = await Promise.allSettled([
      forge.getRepository(),
      forge.gitCredentials(),
    ]);
    expect(repository.status).toBe("rejected");
    expect(credentials.status).toBe("rejected");
    // nock refuses every other host: a request to api.github.com would say so here.
    expect(String((credentials as PromiseRejectedResult).reason)).not.toMatch(
      /api\.github\.com|Disallowed net connect/,
    );
  });
});
