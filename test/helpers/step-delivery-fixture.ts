import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RunLog } from "../../src/jobs/run-log.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { type DeliveryResult, StepDelivery } from "../../src/gates/deliver-step.ts";
import { planTestCommand, type TestCommandPlan } from "../../src/gates/detect-test-command.ts";
import { readRepositoryRoot } from "../../src/gates/read-repository-root.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { ProcessSandbox } from "../../src/sandbox/process-sandbox.ts";
import { baseTreeOf } from "../../src/workspace/base-tree.ts";
import { gitEnvironment } from "../../src/workspace/git-environment.ts";
import { openGit } from "../../src/git.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import { git } from "./git-fixtures.ts";

const AUTHOR = { name: "issue-agent", email: "agent@example.com" };

/**
 * A project checked out on an agent branch, with the real StepDelivery (every gate) over it. The
 * commands run with this machine's toolchains (PATH and HOME of the test process: rustup, ~/.m2),
 * because the toolchains live outside the sandbox's system paths; the gate logic is the same.
 */
export interface DeliveryFixture {
  dir: string;
  tests: TestCommandPlan;
  log: RunLog;
  /** Writes (string) or deletes (null) files in the working tree, then delivers them as one step. */
  deliver(changes: Record<string, string | null>): Promise<DeliveryResult>;
  cleanup(): void;
}

export async function deliveryFixture(
  files: Record<string, string>,
  config: unknown = undefined,
): Promise<DeliveryFixture> {
  const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-gate-"));
  const dir = path.join(root, "repo");
  const scratch = path.join(root, "scratch");
  mkdirSync(dir);
  mkdirSync(scratch);
  git(dir, "init", "--quiet", "--initial-branch=main");
  write(dir, files);
  git(dir, "add", "--all");
  git(dir, "-c", "user.name=M", "-c", "user.email=m@example.com", "commit", "--quiet", "-m", "base");
  git(dir, "checkout", "--quiet", "-b", "agent/1-fix");
  const gitEnv = gitEnvironment(scratch, undefined);
  const localGit = openGit(dir, gitEnv);
  const workspace: Workspace = {
    dir,
    scratch,
    branch: "agent/1-fix",
    baseBranch: "main",
    baseSha: git(dir, "rev-parse", "HEAD").trim(),
    madeOnBase: true,
    gitEnv,
    git: localGit,
    remoteGit: openGit(dir, gitEnv),
    baseTree: baseTreeOf(localGit, "main"),
    objectSource: undefined,
    dependencyCache: path.join(scratch, "cache"),
    dispose: async () => undefined,
  };
  const parsed = parseAgentConfig(config);
  const tests = planTestCommand(parsed.gates.tests.command, await readRepositoryRoot(dir));
  const log = new RunLog();
  const delivery = new StepDelivery({
    workspace,
    config: parsed,
    paths: new PathPolicy(parsed.paths),
    tests,
    sandbox: new ProcessSandbox(scratch, { PATH: process.env.PATH ?? "", HOME: os.homedir() }),
    log,
    author: async () => AUTHOR,
    issueNumber: 1,
  });
  return {
    dir,
    tests,
    log,
    async deliver(changes) {
      write(dir, changes);
      return delivery.deliver({ title: "Fix it", summary: "Fixes it.", final: true });
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

function write(dir: string, files: Record<string, string | null>): void {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}
