import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunLog } from "../../src/jobs/run-log.ts";
import type { Tool, ToolContext } from "../../src/agent/tools/tool.ts";
import type { Job } from "../../src/jobs/job.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { TrajectoryRecorder } from "../../src/trajectory/trajectory-recorder.ts";
import { MAX_DIFF_CHARS } from "../../src/trajectory/trajectory.ts";
import { git } from "../helpers/git-fixtures.ts";

const SECRET = "sk-live-0123456789abcdefghijklmnopqrstuv";
const root = mkdtempSync(path.join(os.tmpdir(), "step-diff-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A working tree with a base commit and one step on it; returns both shas. */
function repositoryWithStep(dir: string, step: Record<string, string>) {
  git(root, "init", "-q", "-b", "main", dir);
  const commit = (files: Record<string, string>, message: string) => {
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
    git(dir, "add", "--all");
    git(dir, "-c", "user.name=a", "-c", "user.email=a@example.com", "commit", "-q", "-m", message);
    return git(dir, "rev-parse", "HEAD").trim();
  };
  const baseSha = commit({ "greet.js": "hello\n" }, "base");
  return { baseSha, sha: commit(step, "step") };
}

/** Records one tool call that delivers a step (as commit_step does), and returns the stored record. */
async function recordDelivery(dir: string, shas: { baseSha: string; sha: string }) {
  const store = new MemoryJobStore();
  const redactor = new SecretRedactor();
  redactor.add(SECRET);
  const log = new RunLog();
  const job = {
    id: "job-1",
    trigger: { owner: "octo", repo: "repo", issueNumber: 3 },
    state: "running",
    startedAt: new Date().toISOString(),
  } as unknown as Job;
  const recorder = await TrajectoryRecorder.open({ job, store, redactor, log, notes: [], logger: console });
  const deliver: Tool = {
    name: "commit_step",
    description: "",
    parameters: undefined as never,
    run: async () => {
      log.steps.push({
        title: "Punctuate",
        summary: "",
        ...shas,
        files: [{ path: "greet.js", added: 1, removed: 1 }],
        lines: 2,
        gates: [],
        reviewReasons: [],
      });
      return { output: "delivered" };
    },
  };
  await recorder.tools([deliver])[0]!.run({}, { workspace: dir } as ToolContext);
  await recorder.flushed();
  const step = (await store.getTrajectory("job-1"))!.events.find((event) => event.kind === "step");
  if (step?.kind !== "step") throw new Error("no step recorded");
  return step;
}

describe("a delivered step's diff in the trajectory", () => {
  it("is recorded redacted, and no program the repository configures runs to make it", async () => {
    const dir = path.join(root, "hostile");
    const shas = repositoryWithStep(dir, {
      "greet.js": `hello, world <script>alert(1)</script>\nconst key = "${SECRET}";\n`,
      ".gitattributes": "* diff=evil\n",
    });
    // A hostile working tree: its own config names programs for git diff to run.
    const marker = path.join(root, "ran");
    git(dir, "config", "diff.external", `sh -c 'touch ${marker}'`);
    git(dir, "config", "diff.evil.textconv", `sh -c 'touch ${marker}; cat'`);
    git(dir, "config", "diff.evil.command", `sh -c 'touch ${marker}'`);

    const step = await recordDelivery(dir, shas);
    expect(existsSync(marker)).toBe(false);
    expect(step).toMatchObject({ title: "Punctuate", sha: shas.sha });
    expect(step.diff).toContain("-hello\n+hello, world <script>alert(1)</script>");
    expect(step.diff).toContain('+const key = "[REDACTED]";');
    expect(step.diff).not.toContain(SECRET);
  });

  it("keeps a huge diff's head and tail within its bound", async () => {
    const dir = path.join(root, "huge");
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} of a generated file`);
    const shas = repositoryWithStep(dir, { "greet.js": `${lines.join("\n")}\n` });
    const step = await recordDelivery(dir, shas);
    expect(step.diff.length).toBeLessThanOrEqual(MAX_DIFF_CHARS);
    expect(step.diff).toContain("+line 0 of a generated file");
    expect(step.diff).toContain("+line 19999 of a generated file");
    expect(step.diff).toContain("characters cut");
  });
});
