import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import nock from "nock";
import type { ApplicationFunctionOptions, Probot } from "probot";

type Handler = Parameters<ApplicationFunctionOptions["addHandler"]>[0];
import { createIssueAgent, type IssueAgent } from "../../src/app.ts";
import type { JobHooks } from "../../src/pipeline/run-job.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { loadSettings, type Settings } from "../../src/settings.ts";
import { createRemoteRepository } from "./git-fixtures.ts";
import { GitHttpServer } from "./git-http-server.ts";
import { ScriptedModelServer, type TurnSource } from "./scripted-model-server.ts";
import { LogCapture, testProbot } from "./test-probot.ts";

export const OWNER = "octo-org";
export const REPO = "hello-world";
export const INSTALLATION_ID = 4242;
/** Secrets shaped like the real ones; tests assert none of them ever leaves the app. */
export const INSTALLATION_TOKEN = "ghs_TESTinstallationTOKEN0123456789abcdefXYZ";
export const OPENAI_KEY = "sk-test-openai-key-0123456789abcdefghijklmnop";

/** A small Node project whose greeting lacks punctuation; the scripted agent fixes it. */
export const GREETING_REPO: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "hello", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "src/greet.js": 'export function greet(name) {\n  return "Hello " + name;\n}\n',
  "test/greet.test.js":
    'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { greet } from "../src/greet.js";\n\ntest("greets", () => {\n  assert.match(greet("Ada"), /Ada/);\n});\n',
};

export interface Harness {
  probot: Probot;
  agent: IssueAgent;
  model: ScriptedModelServer;
  logs: LogCapture;
  bare: string;
  cloneUrl: string;
  workdir: string;
  gitServer: GitHttpServer;
  /** The HTTP handlers the app added to Probot's server (webhooks, health, readiness, metrics). */
  handlers: Handler[];
  /** Stops this app instance and starts a new one on the same database and settings. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  files?: Record<string, string>;
  script: TurnSource[];
  settings?: Partial<Settings>;
  /** The app's process environment (Probot's own variables and those settings name). */
  env?: NodeJS.ProcessEnv;
  /** A GitHub Enterprise Server API root, e.g. https://ghe.example.com/api/v3. */
  enterprise?: { host: string };
  /** Test seams in the app's jobs, e.g. to hold a job while it pauses. */
  hooks?: JobHooks;
  /** Runs before the app loads, e.g. to leave state behind as a crashed process would. */
  beforeLoad?: (paths: { db: string; cloneUrl: string; bare: string }) => Promise<void>;
}): Promise<Harness> {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  const remote = createRemoteRepository(options.files ?? GREETING_REPO);
  const gitServer = new GitHttpServer({ projectRoot: remote.root, token: INSTALLATION_TOKEN });
  const gitBase = await gitServer.start();
  const model = new ScriptedModelServer(options.script);
  const modelUrl = await model.start();
  const workdir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-work-"));
  const logs = new LogCapture();
  const redactor = new SecretRedactor();
  redactor.add(OPENAI_KEY);
  const makeAgent = () =>
    createIssueAgent({
      settings: {
        ...loadSettings({
          OPENAI_API_KEY: OPENAI_KEY,
          OPENAI_BASE_URL: modelUrl,
          ISSUE_AGENT_MODEL: "test-model",
          ISSUE_AGENT_CONCURRENCY: "1",
          ISSUE_AGENT_WORKDIR: workdir,
          ISSUE_AGENT_DB: path.join(workdir, "state.db"),
        }),
        ...options.settings,
      },
      redactor,
      ...(options.hooks ? { hooks: options.hooks } : {}),
      env: {
        // The secret testProbot signs with: the app's own webhook endpoint checks it too.
        WEBHOOK_SECRET: "test-webhook-secret",
        ...options.env,
        ...(options.enterprise ? { GHE_HOST: options.enterprise.host } : {}),
      },
    });
  const makeProbot = () =>
    testProbot(logs, options.enterprise ? { baseUrl: `https://${options.enterprise.host}/api/v3` } : {});
  const probot = makeProbot();
  const agent = makeAgent();
  const cloneUrl = GitHttpServer.cloneUrl(gitBase, remote.root, remote.bare);
  await options.beforeLoad?.({ db: path.join(workdir, "state.db"), cloneUrl, bare: remote.bare });
  const handlers: Handler[] = [];
  await probot.load(agent.app, { cwd: process.cwd(), addHandler: (handler) => handlers.push(handler) });
  let closed: Promise<void> | undefined;
  const harness: Harness = {
    probot,
    agent,
    model,
    logs,
    bare: remote.bare,
    cloneUrl,
    workdir,
    gitServer,
    handlers,
    async restart() {
      await harness.agent.shutdown(0);
      harness.probot = makeProbot();
      harness.agent = makeAgent();
      await harness.probot.load(harness.agent.app, { cwd: process.cwd(), addHandler: () => undefined });
    },
    close() {
      open.delete(harness);
      return (closed ??= closeHarness());
    },
  };
  // Shut down, not only drained, and whatever a failed test left running: the next file in this
  // worker must not meet this app, its servers or its timers.
  async function closeHarness() {
    try {
      await Promise.race([harness.agent.idle(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await harness.agent.shutdown(0);
    } finally {
      await model.stop();
      await gitServer.stop();
      remote.cleanup();
      rmSync(workdir, { recursive: true, force: true });
      nock.cleanAll();
      nock.enableNetConnect();
    }
  }
  open.add(harness);
  return harness;
}

/** Harnesses started and not yet closed: the end-to-end setup closes them after each test. */
const open = new Set<Harness>();

export async function closeOpenHarnesses(): Promise<void> {
  await Promise.all([...open].map((harness) => harness.close()));
}
