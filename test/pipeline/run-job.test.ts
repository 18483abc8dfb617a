import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import type { Forge } from "../../src/forge/forge.ts";
import { LocalForge } from "../../src/forge/local-forge.ts";
import { newJob, transition } from "../../src/jobs/job.ts";
import { MemoryJobStore } from "../../src/jobs/stores/memory-job-store.ts";
import { runJob } from "../../src/pipeline/run-job.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { createRemoteRepository, readBranchFile } from "../helpers/git-fixtures.ts";
import { ScriptedModel, type Answer } from "../helpers/scripted-model.ts";
import { testTrigger } from "../helpers/test-trigger.ts";

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const finish = { call: "finish", args: { title: "Say hello", summary: "Greets.", rationale: "Asked for." } };
const writeHello = { call: "write_file", args: { path: "hello.txt", content: "hello\n" } };

/**
 * One job of the real pipeline against a real clone and sandbox, with an in-process scripted
 * model and the local forge (plus the comments it would post): what each test drives and reads.
 */
async function jobBench(
  script: ConstructorParameters<typeof ScriptedModel>[0],
  config: object = {},
  /** Forge methods replaced, each given the local forge's own. */
  replaced: Partial<Record<keyof Forge, (local: LocalForge, ...args: never[]) => unknown>> = {},
) {
  const remote = createRemoteRepository({ "README.md": "# demo\n" });
  const workspaceRoot = mkdtempSync(path.join(os.tmpdir(), "issue-agent-pipeline-"));
  cleanups.push(remote.cleanup, () => rmSync(workspaceRoot, { recursive: true, force: true }));
  const local = new LocalForge({
    repoPath: remote.bare,
    issue: {
      number: 1,
      title: "Say hello",
      body: "Add hello.txt",
      url: "",
      author: "reporter",
      comments: [],
    },
    outputDir: remote.root,
    progress: () => {},
  });
  const comments: string[] = [];
  const forge = new Proxy(local, {
    get(target, property, receiver) {
      if (property === "comment") return async (body: string) => void comments.push(body);
      const replacement = replaced[property as keyof Forge];
      if (replacement) return (...args: never[]) => replacement(target, ...args);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Forge;
  const store = new MemoryJobStore();
  const job = newJob(testTrigger(), parseAgentConfig({ gates: { test_first: false }, ...config }));
  await store.createUnlessActive(job);
  const model = new ScriptedModel(script);
  const deps = {
    store,
    inbox: store,
    workspaceRoot,
    redactor: new SecretRedactor(),
    log: silent,
    forgeFor: async () => forge,
    modelFor: () => model,
  };
  const send = (kind: "stop" | "message" | "approval", text = "") =>
    store.post(job.id, { kind, by: "maintainer", text, at: new Date().toISOString() });
  /** Queues a parked job again, as the intake does once its answer is in the inbox. */
  const requeue = async () => store.save(transition((await store.get(job.id))!, "queued", "answered"));
  return { run: () => runJob(job.id, deps), local, comments, model, send, requeue, bare: remote.bare };
}

describe("the pipeline, step by step, with an in-process model", () => {
  it("finishes: the delivered step is published and the check run succeeds", async () => {
    const bench = await jobBench([writeHello, finish]);
    const job = await bench.run();
    expect(job.state).toBe("succeeded");
    expect(bench.local.result?.conclusion).toBe("success");
    expect(bench.local.pullRequestFiles).toHaveLength(1);
    expect(readBranchFile(bench.bare, bench.local.pullRequestFiles[0]!.branch, "hello.txt")).toBe("hello\n");
  });

  it("parks on a question, then resumes the same conversation with the answer", async () => {
    const bench = await jobBench([
      { call: "ask_question", args: { question: "Which greeting?" } },
      (messages) => {
        expect(messages.at(-1)).toMatchObject({
          role: "tool",
          content: "Answer from the maintainer @maintainer:\nhello",
        });
        return writeHello;
      },
      finish,
    ]);
    const parked = await bench.run();
    expect(parked.state).toBe("waiting_for_human");
    expect(parked.waiting?.question).toBe("Which greeting?");
    expect(bench.comments.join("\n")).toContain("The agent has a question before it goes on");
    expect(bench.local.result).toBeUndefined(); // the check run stays open while it waits

    await bench.send("message", "hello");
    await bench.requeue();
    const resumed = await bench.run();
    expect(resumed.state).toBe("succeeded");
    expect(bench.model.requests).toHaveLength(3);
  });

  it("parks on a command that needs approval, and on resume runs it with the decision", async () => {
    const bench = await jobBench(
      [
        { call: "run_command", args: { command: "touch approved.txt" } },
        (messages) => {
          expect(messages.at(-1)).toMatchObject({ role: "tool" });
          expect(String(messages.at(-1)!.content)).not.toContain("waiting for a maintainer's approval");
          return finish;
        },
      ],
      { commands: { require_approval: ["touch"] } },
    );
    const parked = await bench.run();
    expect(parked.state).toBe("waiting_for_human");
    expect(parked.waiting?.approval?.command).toBe("touch approved.txt");
    expect(bench.comments.join("\n")).toContain("`/agent approve`");

    await bench.send("approval", "approved");
    await bench.requeue();
    const resumed = await bench.run();
    expect(resumed.state).toBe("succeeded");
    expect(readBranchFile(bench.bare, bench.local.pullRequestFiles[0]!.branch, "approved.txt")).toBe("");
  });

  it("stops the run after three answers in a row without a usable tool call", async () => {
    const text: Answer = { text: "I would rather chat." };
    const bench = await jobBench([text, text, text]);
    const job = await bench.run();
    expect(job.state).toBe("failed");
    expect(bench.local.result?.output.title).toContain("the model's answers were unusable");
    expect(bench.model.requests).toHaveLength(3);
  });

  it("hands a maintainer's message sent mid-run to the agent at its next turn", async () => {
    const later: { send?: () => Promise<void> } = {};
    const bench = await jobBench([
      async () => {
        await later.send!();
        // Long enough for the job's inbox poll (every second) to read the message.
        return { call: "run_command", args: { command: "sleep 1.5" } };
      },
      (messages) => {
        const steering = messages.findLast((m) => m.role === "user");
        expect(String(steering?.content)).toContain("Message from the maintainer @maintainer");
        expect(String(steering?.content)).toContain("Use a capital H");
        return writeHello;
      },
      finish,
    ]);
    later.send = () => bench.send("message", "Use a capital H");
    expect((await bench.run()).state).toBe("succeeded");
  });

  it("`/agent stop` through the inbox aborts the running command and cancels the job", async () => {
    let stoppedAt = 0;
    const later: { send?: () => Promise<void> } = {};
    const bench = await jobBench([
      () => {
        setTimeout(() => {
          stoppedAt = Date.now();
          void later.send!();
        }, 200);
        return { call: "run_command", args: { command: "sleep 300" } };
      },
    ]);
    later.send = () => bench.send("stop");
    const job = await bench.run();
    // Within the inbox poll and the kill, not the command's 300 seconds.
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(job.state).toBe("cancelled");
    expect(bench.local.result).toMatchObject({ conclusion: "cancelled" });
    expect(bench.local.result?.output.title).toContain("stopped by @maintainer");
    expect(bench.model.requests).toHaveLength(1);
  });

  it("concludes its check run as failed when the issue cannot be read", async () => {
    const bench = await jobBench(
      [finish],
      {},
      {
        getIssueThread: () => Promise.reject(new Error("GitHub answered 502 for the issue")),
      },
    );
    const job = await bench.run();
    expect(job.state).toBe("failed");
    expect(bench.local.result?.conclusion).toBe("failure");
    expect(bench.model.requests).toHaveLength(0);
  });

  it("starts the work without waiting for the base commit its check run is made on", async () => {
    // The base commit is read only once the model has been asked: a job that waited for it first
    // would never ask, and the test would time out.
    let modelAsked!: () => void;
    const asked = new Promise<void>((resolve) => (modelAsked = resolve));
    const bench = await jobBench(
      [
        () => {
          modelAsked();
          return writeHello;
        },
        finish,
      ],
      {},
      {
        branchHead: async (local, branch: string) => {
          await asked;
          return local.branchHead(branch);
        },
      },
    );
    expect((await bench.run()).state).toBe("succeeded");
    // The check run came all the same, and carries the job's end.
    expect(bench.local.result?.conclusion).toBe("success");
  });

  it("goes on without a check run when the base commit cannot be read, and says how it ended", async () => {
    const statusComments: string[] = [];
    const bench = await jobBench(
      [writeHello, finish],
      {},
      {
        branchHead: () => Promise.reject(new Error("GitHub answered 502 for the branch")),
        setStatusComment: (local, body: string) => {
          statusComments.push(body);
          return local.setStatusComment(body);
        },
      },
    );
    expect((await bench.run()).state).toBe("succeeded");
    expect(bench.local.result).toBeUndefined();
    expect(bench.local.pullRequestFiles).toHaveLength(1);
    expect(statusComments.at(-1)).toContain("✅ issue-agent: opened");
    expect(statusComments.at(-1)).toContain(
      "this job has no check run (and no Stop button there); `/agent stop` stops it",
    );
  });

  it("reads the issue thread before its status comment exists, even with a message waiting", async () => {
    const events: string[] = [];
    const bench = await jobBench(
      [writeHello, finish],
      {},
      {
        getIssueThread: async (local) => {
          events.push("thread asked");
          await new Promise((resolve) => setTimeout(resolve, 50));
          events.push("thread read");
          return local.getIssueThread();
        },
        setStatusComment: (local, body: string) => {
          events.push("status comment");
          return local.setStatusComment(body);
        },
      },
    );
    // Read by the job as it opens, and shown in the status comment: never before the thread.
    await bench.send("message", "Use a capital H");
    expect((await bench.run()).state).toBe("succeeded");
    expect(events.indexOf("status comment")).toBeGreaterThan(events.indexOf("thread read"));
    expect(events.indexOf("thread read")).toBeGreaterThan(-1);
  });
});
