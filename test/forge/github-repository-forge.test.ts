import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { githubRepositories } from "../../src/forge/github-repository-forge.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { mergeIfReady } from "../../src/merge/merge-flow.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { LogCapture, testProbot } from "../helpers/test-probot.ts";

const API = "https://api.github.com";
const REPO_PATH = "/repos/octo/repo";
const SECRET = "sk-proj-REDACTME0123456789abcdefghij";
const quiet = { info() {}, warn() {} };

/** The repository as the app builds it: through githubRepositories, with a redactor that knows SECRET. */
async function repository() {
  const redactor = new SecretRedactor();
  redactor.add(SECRET);
  const probot = testProbot(new LogCapture());
  return githubRepositories(
    { auth: () => probot.auth(1) },
    redactor,
  )({ installationId: 1, owner: "octo", repo: "repo" });
}

function installationToken() {
  return nock(API)
    .post("/app/installations/1/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
}

// Unit files share their workers: what this file tells nock must not outlive it.
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("the GitHub RepositoryForge never sends a secret it knows", () => {
  it("masks it in a comment body", async () => {
    const bodies: string[] = [];
    const scopes = [
      installationToken(),
      nock(API)
        .post(`${REPO_PATH}/issues/5/comments`, (body) => Boolean(bodies.push(body.body)))
        .reply(201, { id: 1 }),
    ];
    await (await repository()).comment(5, `the key is ${SECRET}, keep it`);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toEqual(["the key is [REDACTED], keep it"]);
  });

  it("masks it in a status comment edit", async () => {
    const bodies: string[] = [];
    const scopes = [
      installationToken(),
      nock(API)
        .patch(`${REPO_PATH}/issues/comments/600`, (body) => Boolean(bodies.push(body.body)))
        .reply(200, { id: 600 }),
    ];
    await (await repository()).editStatusComment(600, `done\n\n${SECRET}`);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(bodies).toEqual(["done\n\n[REDACTED]"]);
  });

  it("masks it when the merge flow quotes GitHub's refusal back on the pull request", async () => {
    const bodies: string[] = [];
    const head = "a".repeat(40);
    const scopes = [
      installationToken(),
      nock(API)
        .get(`${REPO_PATH}/pulls/12`)
        .reply(200, {
          number: 12,
          state: "open",
          draft: false,
          merged: false,
          head: { ref: "agent/3-fix", sha: head, repo: { full_name: "octo/repo" } },
          base: { ref: "main", repo: { full_name: "octo/repo" } },
        })
        .get(`${REPO_PATH}/pulls/12/reviews`)
        .query(true)
        .reply(200, [{ state: "APPROVED", user: { login: "lead", type: "User" }, commit_id: head }])
        .get(`${REPO_PATH}/collaborators/lead/permission`)
        .reply(200, { permission: "write", role_name: "write" })
        .get(`${REPO_PATH}/commits/${head}/check-runs`)
        .query(true)
        .reply(200, {
          total_count: 1,
          check_runs: [
            { id: 1, name: "issue-agent", status: "completed", conclusion: "success", output: {} },
          ],
        })
        .get(`${REPO_PATH}/commits/${head}/status`)
        .reply(200, { state: "pending", total_count: 0 })
        .put(`${REPO_PATH}/pulls/12/merge`)
        .reply(405, { message: `Base branch policy: token ${SECRET} may not merge` })
        .post(`${REPO_PATH}/issues/12/comments`, (body) => Boolean(bodies.push(body.body)))
        .reply(201, { id: 2 }),
    ];
    const config = parseAgentConfig({ merge: { auto: true } });
    const merged = await mergeIfReady({
      repository: await repository(),
      pullNumber: 12,
      config,
      afterApproval: true,
      log: quiet,
    });
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(merged).toBe(false);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('GitHub answered "Base branch policy: token [REDACTED] may not merge"');
    expect(bodies[0]).not.toContain(SECRET);
  });
});
