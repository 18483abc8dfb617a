import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RepositoryForge } from "../../src/forge/repository-forge.ts";
import { redactingRepositoryForge } from "../../src/forge/redacting-repository-forge.ts";
import type { JobQueue } from "../../src/jobs/job-queue.ts";
import { SqliteState } from "../../src/jobs/stores/sqlite-state.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { handleTrigger } from "../../src/triggers/handle-trigger.ts";
import type { TriggerRequest } from "../../src/triggers/trigger.ts";
import { MemoryRepositoryForge } from "../helpers/memory-repository-forge.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

/** A queue that only records what was queued; the job itself is not the intake's business. */
class RecordingQueue implements JobQueue {
  readonly queued: string[] = [];
  async enqueue(jobId: string): Promise<void> {
    this.queued.push(jobId);
  }
  async idle(): Promise<void> {}
  async close(): Promise<void> {}
}

const quiet = { info() {}, debug() {}, warn() {} };

let dir: string;
let state: SqliteState;
let queue: RecordingQueue;
let repository: MemoryRepositoryForge;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "handle-trigger-"));
  state = new SqliteState(path.join(dir, "jobs.db"));
  queue = new RecordingQueue();
  repository = new MemoryRepositoryForge();
  repository.writers.add("maintainer");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function label(name = "agent", sender = "maintainer"): TriggerRequest {
  return {
    trigger: testTrigger({ issueNumber: 7, sender }),
    labelName: name,
    command: { verb: "start", instructions: "" },
    onPullRequest: false,
    receivedAt: new Date().toISOString(),
  };
}

function comment(text: TriggerRequest["command"], sender = "maintainer"): TriggerRequest {
  return {
    trigger: testTrigger({ kind: "comment", issueNumber: 7, sender, commentId: 55 }),
    labelName: undefined,
    command: text,
    onPullRequest: false,
    receivedAt: new Date().toISOString(),
  };
}

const handle = (request: TriggerRequest, on: RepositoryForge = repository) =>
  handleTrigger(request, on, { store: state, queue, inbox: state }, quiet);

describe("handleTrigger against the test RepositoryForge", () => {
  it("queues one job for the configured label, asked by someone with write access", async () => {
    await handle(label());
    const job = await state.latestForIssue({ owner: "octo", repo: "repo", issueNumber: 7 });
    expect(job?.state).toBe("queued");
    expect(queue.queued).toEqual([job!.id]);
    expect(repository.comments).toEqual([]);
  });

  it("asks for the sender's access while it reads the config, for the usual trigger label", async () => {
    let configAsked!: () => void;
    const configRead = new Promise<void>((resolve) => (configAsked = resolve));
    const slowConfig = Object.assign(Object.create(repository) as MemoryRepositoryForge, {
      loadConfig: async () => {
        await configRead;
        return repository.loadConfig();
      },
    });
    const handled = handle(label(), slowConfig);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The config is still being read, and the access was asked for all the same.
    expect(repository.calls).toEqual(["hasWriteAccess"]);
    configAsked();
    await handled;
    expect(queue.queued).toHaveLength(1);
  });

  it("asks nothing about the sender for a label that starts nothing", async () => {
    await handle(label("bug"));
    expect(repository.calls).toEqual(["loadConfig"]);
    expect(queue.queued).toEqual([]);
  });

  it("does nothing for a label that is not the configured one", async () => {
    repository.config = { trigger: { label: "robot" } };
    await handle(label("agent"));
    expect(queue.queued).toEqual([]);
    expect(repository.comments).toEqual([]);
  });

  it("refuses a sender without write access with one reply on the issue, and queues nothing", async () => {
    await handle(label("agent", "drive-by"));
    expect(repository.comments).toHaveLength(1);
    expect(repository.comments[0]).toMatchObject({ on: 7 });
    expect(repository.comments[0]!.body).toContain(
      "@drive-by, issue-agent only acts for people with write access",
    );
    expect(queue.queued).toEqual([]);
  });

  it("says nothing to a review by someone without write access", async () => {
    const review = { ...comment({ verb: "start", instructions: "" }, "drive-by") };
    review.trigger = { ...review.trigger, kind: "review", commentId: undefined };
    await handle(review);
    expect(repository.comments).toEqual([]);
    expect(queue.queued).toEqual([]);
  });

  it("acknowledges an /agent comment and answers help without reading the config", async () => {
    await handle(comment({ verb: "help" }));
    expect(repository.acknowledged).toEqual([55]);
    expect(repository.comments).toHaveLength(1);
    expect(repository.comments[0]!.body).toContain("/agent");
    expect(repository.calls).not.toContain("loadConfig");
  });

  it("answers /agent stop with nothing running", async () => {
    await handle(comment({ verb: "stop" }));
    expect(repository.comments.map((c) => c.body)).toEqual([
      "@maintainer, no issue-agent job is running on this issue; there is nothing to stop.",
    ]);
  });

  it("answers /agent approve when nothing waits for approval, and starts nothing", async () => {
    await handle(comment({ verb: "approve" }));
    expect(repository.comments.map((c) => c.body)).toEqual([
      "@maintainer, nothing on this issue is waiting for approval.",
    ]);
    expect(queue.queued).toEqual([]);
  });

  it("passes /agent <instructions> to the active job as a message instead of starting another", async () => {
    await handle(label());
    await handle(comment({ verb: "start", instructions: "use the other parser" }));
    expect(queue.queued).toHaveLength(1);
    expect(repository.comments).toEqual([]);
    const job = await state.latestForIssue({ owner: "octo", repo: "repo", issueNumber: 7 });
    expect(await state.take(job!.id)).toMatchObject([
      { kind: "message", by: "maintainer", text: "use the other parser" },
    ]);
  });

  it("tells a second request while a job is active that one is already working", async () => {
    await handle(label());
    await handle(comment({ verb: "start", instructions: "" }));
    expect(queue.queued).toHaveLength(1);
    expect(repository.comments.at(-1)!.body).toContain("issue-agent is already working on this issue");
  });

  it("answers an invalid config without the secret it quotes, when the forge is the redacting one", async () => {
    const secret = "sk-live-0123456789abcdefSECRET";
    const redactor = new SecretRedactor();
    redactor.add(secret);
    repository.config = { agent: { max_steps: secret } };
    await handle(label(), redactingRepositoryForge(repository, redactor));
    expect(repository.comments).toHaveLength(1);
    expect(repository.comments[0]!.body).toContain("issue-agent cannot start");
    expect(repository.comments[0]!.body).toContain("[REDACTED]");
    expect(repository.comments[0]!.body).not.toContain(secret);
    expect(queue.queued).toEqual([]);
  });
});
