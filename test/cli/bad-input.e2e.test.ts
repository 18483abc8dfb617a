import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GREETING_REPO } from "../helpers/e2e-harness.ts";
import { createRemoteRepository, git } from "../helpers/git-fixtures.ts";
import { ScriptedModelServer } from "../helpers/scripted-model-server.ts";

const CLI = path.resolve("src/cli/main.ts");

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command with only the given environment; its temporary files go to `tmp`. */
function runCli(args: string[], env: Record<string, string>, tmp: string): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      // Run from a directory of its own, so no .env of the checkout's is read.
      { cwd: tmp, env: { PATH: process.env.PATH ?? "", HOME: tmp, TMPDIR: tmp, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

let clone: string;
let tmp: string;
let model: ScriptedModelServer;
let modelUrl: string;
const cleanups: Array<() => void | Promise<void>> = [];

beforeEach(async () => {
  const remote = createRemoteRepository(GREETING_REPO);
  cleanups.push(remote.cleanup);
  clone = path.join(remote.root, "clone");
  git(remote.root, "clone", "--quiet", remote.bare, clone);
  tmp = mkdtempSync(path.join(os.tmpdir(), "issue-agent-cli-tmp-"));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  // An endpoint that would answer: a bad input must be caught before anything is asked of it.
  model = new ScriptedModelServer([]);
  modelUrl = await model.start();
  cleanups.push(() => model.stop());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The one line a bad input gets, with nothing started: no model request, no workspace. */
function expectRefused(exit: Exit, line: string): void {
  expect(exit.code).toBe(2);
  expect(exit.stderr).toBe(`issue-agent: ${line}\n`);
  expect(exit.stdout).toBe("");
  expect(model.requests).toHaveLength(0);
  expect(readdirSync(tmp).filter((name) => name.startsWith("issue-agent-local-"))).toEqual([]);
}

const ISSUE = "Greeting lacks punctuation";

describe("issue-agent run refuses bad input before any work", () => {
  it("a --repo that does not exist", async () => {
    const missing = path.join(tmp, "no-such-clone");
    const exit = await runCli(
      ["run", "--repo", missing, "--issue", ISSUE],
      { OPENAI_BASE_URL: modelUrl },
      tmp,
    );
    expectRefused(exit, `--repo ${missing}: no such directory`);
  });

  it("a --repo that is not a git repository", async () => {
    const plain = mkdtempSync(path.join(tmp, "plain-"));
    const exit = await runCli(["run", "--repo", plain, "--issue", ISSUE], { OPENAI_BASE_URL: modelUrl }, tmp);
    expectRefused(exit, `--repo ${plain}: not a git repository (point it at a clone)`);
  });

  it("a --repo whose HEAD is detached, which names no branch to start from", async () => {
    git(clone, "checkout", "--quiet", "--detach");
    const exit = await runCli(["run", "--repo", clone, "--issue", ISSUE], { OPENAI_BASE_URL: modelUrl }, tmp);
    expectRefused(
      exit,
      `--repo ${clone}: HEAD is detached; check out the branch the work should start from (git switch <branch>)`,
    );
  });

  it("an --issue that looks like a file path but names no file", async () => {
    const exit = await runCli(
      ["run", "--repo", clone, "--issue", "./issue.md"],
      { OPENAI_BASE_URL: modelUrl },
      tmp,
    );
    expectRefused(
      exit,
      "--issue ./issue.md: no such file (give the path of a Markdown file, or the issue's text in quotes)",
    );
  });

  it("no OPENAI_API_KEY for OpenAI's own endpoint", async () => {
    const exit = await runCli(["run", "--repo", clone, "--issue", ISSUE], {}, tmp);
    expectRefused(
      exit,
      "OPENAI_API_KEY is not set (set it in the environment or .env; for a server that needs no key, set OPENAI_BASE_URL)",
    );
  });

  it("a model endpoint where nothing listens, named with its URL", async () => {
    const closed = http.createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/v1`;
    const exit = await runCli(["run", "--repo", clone, "--issue", ISSUE], { OPENAI_BASE_URL: url }, tmp);
    expectRefused(exit, `the model endpoint ${url} does not answer (ECONNREFUSED); check OPENAI_BASE_URL`);
  });

  it("a model endpoint that accepts the connection but never answers, within seconds", async () => {
    const silent = http.createServer(() => undefined);
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const started = Date.now();
    const exit = await runCli(["run", "--repo", clone, "--issue", ISSUE], { OPENAI_BASE_URL: url }, tmp);
    expectRefused(
      exit,
      `the model endpoint ${url} does not answer (no answer within 5 s); check OPENAI_BASE_URL`,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("a model endpoint that refuses the key", async () => {
    const refusing = http.createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"message":"bad key"}}');
    });
    refusing.listen(0, "127.0.0.1");
    await once(refusing, "listening");
    cleanups.push(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
    const exit = await runCli(
      ["run", "--repo", clone, "--issue", ISSUE],
      { OPENAI_BASE_URL: url, OPENAI_API_KEY: "sk-wrong" },
      tmp,
    );
    expectRefused(exit, `the model endpoint ${url} refused OPENAI_API_KEY (HTTP 401); check the key`);
    expect(exit.stderr).not.toContain("sk-wrong");
  });
});
