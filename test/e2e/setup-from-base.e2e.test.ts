import { describe, expect, it } from "vitest";
import { issueCommentCreated, issuesLabeled } from "../fixtures/events.ts";
import { OWNER, REPO, startHarness } from "../helpers/e2e-harness.ts";
import { headOf } from "../helpers/git-fixtures.ts";
import {
  mockInstallationToken,
  mockJob,
  mockPermission,
  mockReaction,
  mockRepoConfig,
  newRecord,
} from "../helpers/github-api-mock.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call } from "../helpers/scripted-model-server.ts";

/** Prints what Redis answered at host:6379, or that it could not be reached. */
const probeRedis = (host: string) =>
  `(exec 3<>/dev/tcp/${host}/6379 && printf 'PING\\r\\n' >&3 && timeout 2 head -c 7 <&3) 2>/dev/null || echo '${host}: no redis'`;

// Issue #11, escape 4: on resume, setup was planned from the working tree, so a package.json the
// agent wrote ran its `preinstall` in setup, with the network on.
const AGENT_PACKAGE = `${JSON.stringify({
  name: "hello",
  version: "1.0.0",
  scripts: { preinstall: "node -e \"require('fs').writeFileSync('PWNED.txt', 'agent code ran in setup')\"" },
})}\n`;
const AGENT_LOCK = `${JSON.stringify({
  name: "hello",
  version: "1.0.0",
  lockfileVersion: 3,
  requires: true,
  packages: { "": { name: "hello", version: "1.0.0" } },
})}\n`;

describe("setup on a resumed job", () => {
  it("is planned and run from the base commit, never from the manifests the agent wrote", async () => {
    const h = await startHarness({
      script: [
        call("write_file", { path: "package.json", content: AGENT_PACKAGE }),
        call("write_file", { path: "package-lock.json", content: AGENT_LOCK }),
        call("ask_question", { question: "Should the greeting end with `!` or `.`?" }),
        call("run_command", { command: "ls PWNED.txt 2>&1; cat package.json | head -c 40" }),
        call("finish", { title: "Add a manifest", summary: "Adds package.json.", rationale: "As answered." }),
      ],
    });
    try {
      const record = newRecord();
      const job = {
        cloneUrl: h.cloneUrl,
        issueNumber: 9,
        issueTitle: "Greeting",
        issueBody: "Punctuate it.",
        baseSha: headOf(h.bare, "main"),
      };
      const firstRun = [
        mockInstallationToken(),
        mockRepoConfig("gates:\n  test_first: false\n"),
        mockPermission("maintainer", "admin"),
        mockJob(record, { ...job, expectPullRequest: false, extraComments: 1 }),
      ];
      await h.probot.receive({ id: "d-q", ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 9 }) });
      await h.agent.idle();
      for (const scope of firstRun) expect(scope.pendingMocks()).toEqual([]);

      await h.restart();
      const secondRun = [
        mockInstallationToken(),
        mockReaction(record, 91),
        mockPermission("maintainer", "write"),
        mockJob(record, { ...job, expectPullRequest: true, resumed: true }),
      ];
      await h.probot.receive({
        id: "d-a",
        ...issueCommentCreated({
          owner: OWNER,
          repo: REPO,
          issueNumber: 9,
          commentId: 91,
          body: "/agent `!`",
        }),
      });
      await h.agent.idle();
      for (const scope of secondRun) expect(scope.pendingMocks()).toEqual([]);

      // The agent's work is back, but nothing of it ran: the base has no lockfile, so no setup.
      const seen = String(h.model.requests[4]!.body.messages.at(-1)!.content);
      expect(seen).toContain("No such file or directory");
      expect(seen).toContain('{"name":"hello"');
      expect(JSON.stringify(record.checkRunUpdates)).not.toContain("Setup (detected from");
      // The work itself is delivered (dependency manifests then wait for a human's review).
      expect(record.pulls).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe("setup's network", () => {
  it("reaches no service on the app host: Redis on 127.0.0.1:6379 stays out of reach", async () => {
    const command = `${probeRedis("127.0.0.1")}; ${probeRedis("10.0.2.2")}; ip -4 route show default; exit 3`;
    const { h, record } = await runLabeledJob([], {
      config: `setup: ${JSON.stringify([command])}\n`,
    });
    expect(h.model.requests).toHaveLength(0);
    const summary = record.checkRunUpdates.at(-1)!.output.summary as string;
    const output = summary.slice(summary.indexOf("last lines:"));
    expect(output).toContain("127.0.0.1: no redis");
    expect(output).toContain("10.0.2.2: no redis");
    expect(output).not.toContain("PONG");
    // Setup still has a network: its own namespace, with an uplink through slirp4netns.
    expect(output).toMatch(/default via 10\.0\.2\.2 dev tap0/);
  });
});
