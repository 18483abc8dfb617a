import { execFileSync } from "node:child_process";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { branchLog, headOf, readBranchFile } from "../helpers/git-fixtures.ts";
import {
  INSTALLATION_TOKEN,
  OPENAI_KEY,
  OWNER,
  REPO,
  startHarness,
  type Harness,
} from "../helpers/e2e-harness.ts";
import { issuesLabeled } from "../fixtures/events.ts";
import {
  mockInstallationToken,
  mockJob,
  mockPermission,
  mockRepoConfig,
  newRecord,
  useApiBase,
} from "../helpers/github-api-mock.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { call } from "../helpers/scripted-model-server.ts";

let harness: Harness | undefined;

/** Greps the job workspaces for the token while the job is running (they are gone afterwards). */
function tokenOnDisk(workdir: string): string {
  try {
    return execFileSync("grep", ["-rl", INSTALLATION_TOKEN, workdir], { encoding: "utf8" });
  } catch {
    return "";
  }
}

describe("a labeled issue becomes a pull request", () => {
  it("clones, lets the agent fix and test, pushes a commit and opens a described PR", async () => {
    let diskScan = "not scanned";
    harness = await startHarness({
      script: [
        call("update_plan", { steps: [{ title: "Add punctuation to the greeting", status: "in_progress" }] }),
        call("read_file", { path: "src/greet.js" }),
        fixGreeting,
        testGreeting,
        () => {
          diskScan = tokenOnDisk(harness!.workdir);
          return call("run_command", { command: "node --test 2>&1; env" });
        },
        call("update_plan", { steps: [{ title: "Add punctuation to the greeting", status: "done" }] }),
        call("finish", {
          title: "Punctuate the greeting",
          summary: "greet() now returns `Hello, <name>!`.",
          rationale: "The issue asks for a comma and an exclamation mark; a template literal is clearest.",
        }),
      ],
    });
    const h = harness;
    const record = newRecord();
    const baseSha = headOf(h.bare, "main");
    const scopes = [
      mockInstallationToken(),
      mockRepoConfig(undefined),
      mockPermission("maintainer", "write"),
      mockJob(record, {
        cloneUrl: h.cloneUrl,
        issueNumber: 7,
        issueTitle: "Greeting lacks punctuation",
        issueBody: "It should say `Hello, Ada!`.",
        baseSha,
        expectPullRequest: true,
      }),
    ];

    await h.probot.receive({
      id: "delivery-1",
      ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 7 }),
    });
    await h.agent.idle();

    // The pushed branch holds one commit by the app's bot, with the fix and the trailer.
    const branch = "agent/7-greeting-lacks-punctuation";
    expect(readBranchFile(h.bare, branch, "src/greet.js")).toContain("`Hello, ${name}!`");
    const log = branchLog(h.bare, branch);
    expect(log).toContain("issue-agent[bot] <98765+issue-agent[bot]@users.noreply.github.com>");
    expect(log).toContain("Punctuate the greeting");
    expect(log).toContain("Fixes #7");
    expect(log.match(/----/g)).toHaveLength(1);

    // The PR: title, Closes, summary, rationale, plan, files, commands with outcomes, usage.
    expect(record.pulls).toHaveLength(1);
    const pr = record.pulls[0]!;
    expect(pr).toMatchObject({ title: "Punctuate the greeting", head: branch, base: "main" });
    expect(pr.body).toContain("Closes #7");
    expect(pr.body).toContain("## Rationale\nThe issue asks for a comma");
    expect(pr.body).toContain("- [x] Add punctuation to the greeting");
    expect(pr.body).toContain("| `src/greet.js` | +1 | −1 |");
    expect(pr.body).toMatch(/\| `node --test 2>&1; env` \| ok \| [\d.]+s \|/);
    expect(pr.body).toContain(
      "7 model calls, 700 prompt tokens, 140 completion tokens (840 total, 210 prompt tokens from the provider's cache); cost unknown (no price for this model; set `agent.price`); 1 command;",
    );
    expect(pr.body).toMatch(/; 1 command; \d+ s of agent time\./);
    expect(record.reviewRequests).toEqual([{ reviewers: ["maintainer"] }]);

    // Check run: in_progress on the base commit, completed success; the PR head carries it too.
    expect(record.checkRuns[0]).toMatchObject({
      name: "issue-agent",
      head_sha: baseSha,
      status: "in_progress",
    });
    const completed = record.checkRunUpdates.at(-1);
    expect(completed).toMatchObject({ status: "completed", conclusion: "success" });
    expect(record.checkRuns[1]).toMatchObject({
      name: "issue-agent",
      head_sha: headOf(h.bare, branch),
      status: "completed",
      conclusion: "success",
    });

    // One status comment, created once and then edited, ending with the PR link and the plan.
    expect(record.comments).toHaveLength(1);
    expect(record.commentEdits.length).toBeGreaterThan(1);
    const finalStatus = record.commentEdits.at(-1)!.body;
    expect(finalStatus).toContain("✅ issue-agent: opened #12");
    expect(finalStatus).toContain("https://github.com/octo-org/hello-world/pull/12");
    expect(finalStatus).toContain("- [x] Add punctuation to the greeting");

    // The model got the issue as fenced, untrusted data and the tool results.
    const first = h.model.requests[0]!.body;
    expect(first.model).toBe("test-model");
    const task = String(first.messages[1]!.content);
    expect(task).toMatch(
      /<untrusted-[0-9a-f]{12} source="issue">[\s\S]*It should say `Hello, Ada!`[\s\S]*<\/untrusted-[0-9a-f]{12}>/,
    );
    const commandResult = JSON.stringify(h.model.requests[5]!.body.messages.at(-1));
    expect(commandResult).toContain("exit code 0");
    expect(commandResult).toContain("pass 2");

    // Secrets: not in the agent's environment, not on disk, not in logs, comments or the PR.
    expect(commandResult).not.toContain(INSTALLATION_TOKEN);
    expect(commandResult).not.toContain(OPENAI_KEY);
    expect(diskScan).toBe("");
    expect(h.gitServer.authorizations.some((a) => a.startsWith("Basic "))).toBe(true);
    const published = JSON.stringify(record);
    for (const secret of [INSTALLATION_TOKEN, OPENAI_KEY]) {
      expect(published).not.toContain(secret);
      expect(h.logs.text).not.toContain(secret);
    }
    // Nor the app's own JWT, which signs its requests for installation tokens.
    const jwt = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/;
    expect(published).not.toMatch(jwt);
    expect(h.logs.text).not.toMatch(jwt);
    for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("GitHub Enterprise Server", () => {
  it("talks to the Enterprise API, clones its clone URL and commits as its noreply address", async () => {
    const restore = useApiBase("https://ghe.example.com/api/v3");
    try {
      harness = await startHarness({
        enterprise: { host: "ghe.example.com" },
        script: [
          call("write_file", { path: "NOTES.md", content: "Enterprise works.\n" }),
          call("finish", { title: "Add notes", summary: "Adds NOTES.md.", rationale: "Requested." }),
        ],
      });
      const h = harness;
      const record = newRecord();
      const scopes = [
        mockInstallationToken(),
        mockRepoConfig(undefined),
        mockPermission("maintainer", "write"),
        mockJob(record, {
          cloneUrl: h.cloneUrl,
          issueNumber: 3,
          issueTitle: "Add notes",
          issueBody: "",
          baseSha: headOf(h.bare, "main"),
          expectPullRequest: true,
        }),
      ];
      await h.probot.receive({ id: "d-ghe", ...issuesLabeled({ owner: OWNER, repo: REPO, issueNumber: 3 }) });
      await h.agent.idle();
      expect(readBranchFile(h.bare, "agent/3-add-notes", "NOTES.md")).toBe("Enterprise works.\n");
      expect(branchLog(h.bare, "agent/3-add-notes")).toContain(
        "issue-agent[bot] <98765+issue-agent[bot]@users.noreply.ghe.example.com>",
      );
      expect(record.commentEdits.at(-1)!.body).toContain(
        "https://ghe.example.com/octo-org/hello-world/pull/12",
      );
      for (const scope of scopes) expect(scope.pendingMocks()).toEqual([]);
    } finally {
      restore();
    }
  });
});
