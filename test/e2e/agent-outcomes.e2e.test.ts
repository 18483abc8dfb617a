import { describe, expect, it } from "vitest";
import { git } from "../helpers/git-fixtures.ts";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call, type ScriptedTurn } from "../helpers/scripted-model-server.ts";

/** Runs one labeled-issue job against `script`; a give-up posts one comment besides the status. */
function runJobWith(script: ScriptedTurn[], options: { config?: string; giveUpComment?: boolean } = {}) {
  return runLabeledJob(script, {
    ...(options.config ? { config: options.config } : {}),
    extraComments: options.giveUpComment ? 1 : 0,
  });
}

function remoteBranches(bare: string): string {
  return git(bare, "for-each-ref", "--format=%(refname:short)", "refs/heads");
}

describe("when the agent does not produce a change", () => {
  it("gives up: the issue is told why, the check is neutral, no branch and no PR", async () => {
    const { h, record } = await runJobWith(
      [
        call("give_up", {
          reason: "The issue asks for two incompatible behaviours; a maintainer must choose.",
        }),
      ],
      { giveUpComment: true },
    );
    expect(record.comments[1]!.body).toContain(
      "issue-agent did not open a pull request. The agent gave up:\n\n> The issue asks for two incompatible behaviours",
    );
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed", conclusion: "neutral" });
    expect(record.commentEdits.at(-1)!.body).toContain("no pull request: the agent gave up");
    expect(record.pulls).toEqual([]);
    expect(remoteBranches(h.bare).trim()).toBe("main");
  });

  it("finishes without changing a file: no PR, and the issue says so", async () => {
    const { record } = await runJobWith(
      [
        call("finish", {
          title: "Nothing",
          summary: "Already works as described.",
          rationale: "Checked it.",
        }),
      ],
      { giveUpComment: true },
    );
    expect(record.comments[1]!.body).toContain("the agent changed no files");
    expect(record.comments[1]!.body).toContain("> Already works as described.");
    expect(record.pulls).toEqual([]);
  });
});

describe("a model that misbehaves", () => {
  it("gets tool errors back for unknown tools and malformed arguments, and the job carries on", async () => {
    const { h, record } = await runJobWith(
      [
        call("delete_repository", { really: true }),
        { toolCalls: [{ name: "read_file", arguments: '{"path": "src/greet.js"' }] },
        // A well-formed call in between, or three bad turns in a row would end the run.
        call("read_file", { path: "../../../../etc/passwd" }),
        call("read_file", { path: 42 }),
        call("give_up", { reason: "done testing" }),
      ],
      { giveUpComment: true },
    );
    const toolResult = (request: number) => String(h.model.requests[request]!.body.messages.at(-1)!.content);
    expect(toolResult(1)).toContain('Error: unknown tool "delete_repository". Available tools: list_files');
    expect(toolResult(2)).toContain("Error: the arguments for read_file are not valid JSON");
    expect(toolResult(3)).toContain(
      'Refused by the path rule: path "../../../../etc/passwd" is outside the repository',
    );
    expect(toolResult(4)).toContain(
      "Error: invalid arguments for read_file:\n✖ Invalid input: expected string, received number\n  → at path",
    );
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ conclusion: "neutral" });
  });

  it("is stopped after three answers in a row without a usable tool call", async () => {
    const { h, record } = await runJobWith([
      { content: "I think the fix is easy." },
      { content: "Let me explain in prose instead." },
      call("no_such_tool"),
    ]);
    expect(h.model.requests).toHaveLength(3);
    expect(String(h.model.requests[1]!.body.messages.at(-1)!.content)).toContain(
      "Continue by calling one of the tools",
    );
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(final.output.title).toBe("stopped: the model's answers were unusable");
    expect(final.output.summary).toContain("3 times in a row without a usable tool call");
    expect(final.output.summary).toContain("supports tool calling");
  });

  it("ends cleanly at the step limit, saying which setting to raise", async () => {
    const { h, record } = await runJobWith([call("list_files"), call("list_files"), call("list_files")], {
      config: "agent:\n  max_steps: 2\n",
    });
    expect(h.model.requests).toHaveLength(2);
    expect(h.model.remainingTurns).toBe(1);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final).toMatchObject({ conclusion: "failure" });
    expect(final.output.summary).toContain("The agent used all 2 turns without finishing.");
    expect(final.output.summary).toContain("Raise `agent.max_steps` in .github/agent.yml");
    expect(record.commentEdits.at(-1)!.body).toContain("❌ issue-agent: stopped: a limit was reached");
  });

  it("reports an endpoint that refuses the key, without retrying forever", async () => {
    const { record } = await runJobWith([
      {
        status: 401,
        body: { error: { message: "Incorrect API key provided", type: "invalid_request_error" } },
      },
    ]);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final.output.title).toBe("stopped: the model endpoint failed");
    expect(final.output.summary).toContain("The model endpoint refused the credentials (HTTP 401).");
  });

  it("says how to retry after a model failure that may not happen twice, in GitHub's words", async () => {
    const { record } = await runJobWith([{ status: 400, body: { error: { message: "Bad request" } } }]);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final.output.title).toBe("stopped: the model endpoint failed");
    expect(final.output.summary).toContain(
      "What to do:** This is usually temporary. Comment `/agent` on the issue to retry.",
    );
    // The SDK's message already starts with the status: it is said once.
    // The endpoint's own words come as inline code: no mention, link or image of theirs renders.
    expect(final.output.summary).toContain("The model endpoint failed: `400 Bad request`");
  });

  it("quotes a proxy's error object sent with HTTP 200, and says it may pass", async () => {
    const { record } = await runJobWith([
      {
        status: 200,
        body: { error: { message: "Provider returned error: upstream overloaded", code: 502 } },
      },
    ]);
    const final = record.checkRunUpdates.at(-1)!;
    expect(final.output.title).toBe("stopped: the model endpoint failed");
    expect(final.output.summary).toContain(
      "The model endpoint answered with an error: `Provider returned error: upstream overloaded`",
    );
    expect(final.output.summary).toContain("This is usually temporary.");
  });

  it("says what to check when the endpoint's answer holds no choice", async () => {
    const { record } = await runJobWith([
      { status: 200, body: { id: "c", object: "chat.completion", created: 0, model: "m", choices: [] } },
    ]);
    const summary = record.checkRunUpdates.at(-1)!.output.summary as string;
    expect(summary).toContain("returned a response without a message");
    expect(summary).toContain(
      "**What to do:** Check that OPENAI_BASE_URL points at an OpenAI-compatible server",
    );
  });

  it("shows what a model that keeps refusing said, and sends its refusal back as its words", async () => {
    const refusal: ScriptedTurn = {
      status: 200,
      body: {
        id: "c",
        object: "chat.completion",
        created: 0,
        model: "test-model",
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            message: { role: "assistant", content: null, refusal: "I can't help with that request." },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
      },
    };
    const { h, record } = await runJobWith([refusal, refusal, refusal]);
    // OpenAI refuses an assistant message with neither content nor tool calls.
    expect(h.model.requests[1]!.body.messages.at(-2)).toEqual({
      role: "assistant",
      content: "I can't help with that request.",
    });
    const summary = record.checkRunUpdates.at(-1)!.output.summary as string;
    expect(summary).toContain("The model refused 3 times in a row, so the run was stopped.");
    expect(summary).toContain("I can't help with that request.");
    expect(summary).not.toContain("supports tool calling");
  });
});

describe("commands", () => {
  it("kills a command at its timeout and tells the model, which can go on", async () => {
    const started = Date.now();
    const { h } = await runJobWith(
      [
        call("run_command", { command: "echo started; sleep 30; echo never" }),
        call("give_up", { reason: "stop" }),
      ],
      { config: "commands:\n  timeout_seconds: 1\n", giveUpComment: true },
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    const result = String(h.model.requests[1]!.body.messages.at(-1)!.content);
    expect(result).toContain("timed out after 1s and was killed");
    expect(result).toContain("started");
    expect(result).not.toContain("never");
  });

  it("keeps the head and tail of long output, saying how much was cut and how to see it", async () => {
    const count = `node -e "for (let i = 1; i <= 20000; i++) console.log(i)"`;
    const { h } = await runJobWith(
      [
        call("run_command", { command: `${count}; echo last-line` }),
        call("run_command", { command: `${count} > ~/out.txt; sed -n '10000,10002p' ~/out.txt` }),
        call("give_up", { reason: "stop" }),
      ],
      { config: "commands:\n  max_output_kb: 1\n", giveUpComment: true },
    );
    const long = String(h.model.requests[1]!.body.messages.at(-1)!.content);
    expect(long).toMatch(/^exit code 0\n1\n2\n3\n/);
    expect(long).toContain("last-line");
    expect(long).toMatch(/\[… \d+ bytes of output omitted …\]/);
    expect(long).toContain("[output was");
    expect(long).toContain("bytes longer than the 1 KB kept; to see the middle");
    // Following that advice works: the home directory outlives one command.
    const paged = String(h.model.requests[2]!.body.messages.at(-1)!.content);
    expect(paged).toBe("exit code 0\n10000\n10001\n10002\n");
  });
});
