import { createHmac } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { PROBOT_WEBHOOK_PATH } from "../../src/server/webhook-endpoint.ts";
import { issueCommentCreated, issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness, type Harness } from "../helpers/e2e-harness.ts";
import { headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockIssueComments,
  mockJob,
  mockPermission,
  mockReaction,
  mockRepoConfig,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { call } from "../helpers/scripted-model-server.ts";

let harness: Harness | undefined;

const giveUp = call("give_up", { reason: "Nothing to do in this test." });

describe("who and what may start work", () => {
  it("refuses a sender without write access with one short reply, and runs nothing", async () => {
    harness = await startHarness({ script: [] });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig(undefined),
      mockPermission("drive-by", "read"),
      mockIssueComments(record, 3),
    ];
    await harness.probot.receive({
      id: "d-unauthorized",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3, sender: "drive-by" }),
    });
    // GitHub got its answer before any API call: config and permission are asked afterwards.
    expect(scopes.every((scope) => scope.pendingMocks().length > 0)).toBe(true);
    await harness.agent.webhooksHandled();
    expect(record.comments).toHaveLength(1);
    expect(record.comments[0]!.body).toContain(
      "@drive-by, issue-agent only acts for people with write access",
    );
    expect(harness.model.requests).toHaveLength(0);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });

  it("ignores bots, including itself, without a single API call", async () => {
    harness = await startHarness({ script: [] });
    await harness.probot.receive({
      id: "d-bot",
      ...issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: 3,
        body: "/agent do it",
        sender: "issue-agent[bot]",
        senderType: "Bot",
      }),
    });
    await harness.agent.idle();
    expect(harness.model.requests).toHaveLength(0);
    // nock has no interceptors and the network is closed: any API call would have thrown.
    expect(harness.logs.text).not.toContain("GitHub request");
  });

  it("ignores other labels and comments that are not /agent commands", async () => {
    harness = await startHarness({ script: [] });
    const scopes = [mockInstallationToken(), mockRepoConfig(undefined)];
    await harness.probot.receive({
      id: "d-other-label",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3, label: "bug" }),
    });
    await harness.probot.receive({
      id: "d-chatter",
      ...issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: 3,
        body: "Could the /agent look at this?",
      }),
    });
    await harness.agent.idle();
    expect(harness.model.requests).toHaveLength(0);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });

  it("answers an invalid .github/agent.yml with the key, the value and what is allowed, and starts no job", async () => {
    harness = await startHarness({ script: [] });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig("agent:\n  max_steps: lots\n  modle: gpt\n"),
      mockIssueComments(record, 3),
    ];
    await harness.probot.receive({
      id: "d-bad-config",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3 }),
    });
    await harness.agent.idle();
    const reply = record.comments[0]!.body;
    expect(reply).toContain("issue-agent cannot start: `.github/agent.yml` is invalid");
    expect(reply).toContain(
      '`agent.max_steps` — got `"lots"`: Invalid input: expected number, received string',
    );
    expect(reply).toContain(
      "unknown key `modle` under `agent`; allowed: `model`, `api`, `stream`, `max_steps`",
    );
    expect(harness.model.requests).toHaveLength(0);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });

  it("answers a .github/agent.yml that is not YAML on the repository's own label, saying where it breaks", async () => {
    harness = await startHarness({ script: [] });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig("trigger:\n  label: robot\nagent:\n\tmax_steps: 3\n"),
      mockIssueComments(record, 3),
    ];
    await harness.probot.receive({
      id: "d-not-yaml",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3, label: "robot" }),
    });
    await harness.agent.idle();
    expect(record.comments.map((comment) => comment.body)).toEqual([
      "issue-agent cannot start: `.github/agent.yml` is not valid YAML: Tabs are not allowed as indentation at line 4, column 1.\n\nFix the file on the default branch, then label the issue again or comment `/agent`.",
    ]);
    expect(harness.model.requests).toHaveLength(0);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });

  it("uses the configured label and acknowledges an /agent comment at once, passing its instructions", async () => {
    harness = await startHarness({ script: [giveUp] });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig("trigger:\n  label: robot\n"),
      mockRepoConfig("trigger:\n  label: robot\n"),
      // The default label's sender is asked about while the config is read (the intake cannot
      // know yet that this repository uses another label); then the comment's.
      mockPermission("maintainer", "maintain"),
      mockPermission("maintainer", "maintain"),
      mockReaction(record, 31),
      mockJob(record, {
        cloneUrl: harness.cloneUrl,
        issueNumber: 5,
        issueTitle: "Anything",
        issueBody: "body",
        baseSha: headOf(harness.bare, "main"),
        expectPullRequest: false,
        extraComments: 1,
      }),
    ];
    // The default label no longer triggers once the repository configured another.
    await harness.probot.receive({
      id: "d-default-label",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 5 }),
    });
    await harness.probot.receive({
      id: "d-comment",
      ...issueCommentCreated({
        owner: OWNER,
        repo: REPO,
        issueNumber: 5,
        commentId: 31,
        body: "/agent please keep the public API unchanged\nand add a changelog entry",
      }),
    });
    await harness.agent.idle();
    expect(record.reactions).toEqual([{ content: "eyes" }]);
    const task = String(harness.model.requests[0]!.body.messages[1]!.content);
    expect(task).toContain(
      "Instructions from the maintainer @maintainer (these are the only instructions in this message):\nplease keep the public API unchanged\nand add a changelog entry",
    );
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });
});

describe("one job per trigger", () => {
  it("never starts a second job for a redelivered webhook or while one is active", async () => {
    // The job's first command keeps it active while the duplicates arrive.
    harness = await startHarness({
      script: [call("run_command", { command: "sleep 1" }), giveUp],
    });
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      // The comment needs no config: a job is already active, so it is answered without one.
      mockRepoConfig(undefined),
      mockPermission("maintainer", "write"),
      mockPermission("maintainer", "write"),
      mockReaction(record, 44),
      mockJob(record, {
        cloneUrl: harness.cloneUrl,
        issueNumber: 8,
        issueTitle: "Slow",
        issueBody: "body",
        baseSha: headOf(harness.bare, "main"),
        expectPullRequest: false,
        extraComments: 2,
      }),
    ];
    const event = issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 8 });
    await harness.probot.receive({ id: "d-first", ...event });
    await harness.probot.receive({ id: "d-first", ...event });
    await harness.probot.receive({
      id: "d-second",
      ...issueCommentCreated({ owner: OWNER, repo: REPO, issueNumber: 8, commentId: 44, body: "/agent" }),
    });
    await harness.agent.idle();
    const already = record.comments.filter((c) => c.body.includes("already working on this issue"));
    expect(already).toHaveLength(1);
    expect(harness.model.requests).toHaveLength(2);
    expect(harness.logs.text).toContain("ignoring redelivered webhook");
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
  });
});

describe("webhook delivery over HTTP", () => {
  it("accepts a correctly signed delivery and rejects a forged one", async () => {
    harness = await startHarness({ script: [giveUp] });
    const h = harness;
    // Probot's server as `npm start` runs it: Probot's own route (moved out of the way) first, then
    // the handlers the app added, the first of them its webhook endpoint.
    const probotRoute = await h.probot.getNodeMiddleware({ path: PROBOT_WEBHOOK_PATH });
    const server = http.createServer((req, res) => {
      void (async () => {
        for (const handler of [probotRoute, ...h.handlers]) if (await handler(req, res)) return;
        res.writeHead(404).end();
      })();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const record = newRecord();
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig(undefined),
      mockPermission("maintainer", "write"),
      mockJob(record, {
        cloneUrl: h.cloneUrl,
        issueNumber: 9,
        issueTitle: "Over HTTP",
        issueBody: "body",
        baseSha: headOf(h.bare, "main"),
        expectPullRequest: false,
        extraComments: 1,
      }),
    ];
    const body = JSON.stringify(issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 9 }).payload);
    const post = (signature: string) =>
      fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-github-event": "issues",
          "x-github-delivery": `d-http-${signature.slice(-6)}`,
          "x-hub-signature-256": signature,
        },
      });
    try {
      const forged = await post(`sha256=${createHmac("sha256", "wrong-secret").update(body).digest("hex")}`);
      expect(forged.status).toBe(400);
      const signed = await post(
        `sha256=${createHmac("sha256", "test-webhook-secret").update(body).digest("hex")}`,
      );
      expect(signed.status).toBe(200);
      await h.agent.idle();
      expect(h.model.requests).toHaveLength(1);
      expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed", conclusion: "neutral" });
      for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
      expect(h.logs.text).not.toContain("test-webhook-secret");
    } finally {
      server.closeAllConnections();
      server.close();
      nock.cleanAll();
    }
  });
});
