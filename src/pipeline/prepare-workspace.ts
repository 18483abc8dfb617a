import { readdir, realpath } from "node:fs/promises";
import { withEvent } from "../jobs/job.ts";
import { planTestCommand, type TestCommandPlan } from "../gates/detect-test-command.ts";
import { readRepositoryRoot } from "../gates/read-repository-root.ts";
import { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { renderSetupNote } from "../report/render-setup.ts";
import { renderTestCommandNote } from "../report/render-test-command-note.ts";
import { renderToolchains } from "../report/render-toolchains.ts";
import { chooseSandbox } from "../sandbox/choose-sandbox.ts";
import type { Sandbox, SandboxAccess } from "../sandbox/sandbox.ts";
import { branchName } from "../workspace/branch-name.ts";
import { prepareGitView } from "../workspace/sandbox-git-view.ts";
import { agentCacheEnvironment, dependencyCacheEnvironment } from "../workspace/setup/dependency-cache.ts";
import { planSetup, type SetupPlan } from "../workspace/setup/detect-setup.ts";
import { onBaseTree } from "../workspace/setup/on-base-tree.ts";
import { runSetup } from "../workspace/setup/run-setup.ts";
import { defaultToolchainDir, setUpToolchains } from "../workspace/toolchain/set-up-toolchains.ts";
import { createWorkspace, type Workspace } from "../workspace/workspace.ts";
import { restoreWorkspace } from "../workspace/workspace-snapshot.ts";
import type { JobControl } from "./job-control.ts";
import type { JobRun } from "./open-job.ts";
import type { IssueAtHand } from "./read-issue.ts";

/** The job's workspace, held by runJob so that it is removed however the job ends. */
export interface WorkspaceHold {
  workspace: Workspace | undefined;
  /** A tree whose `.git` the commands could not write is safe for the app to run git in again. */
  recyclable: boolean;
}

/** A workspace ready for the agent: cloned, set up, and the sandbox its commands run in. */
export interface PreparedWorkspace {
  workspace: Workspace;
  /** The workspace's real path, as the sandbox and the tools see it. */
  dir: string;
  paths: PathPolicy;
  sandbox: Sandbox;
  /** The setup plan that ran on the base tree (its commands are part of the repository's context). */
  setup: SetupPlan;
  /** The test command test-first runs: configured, or detected from the root like setup. */
  tests: TestCommandPlan;
  /** The toolchain versions setup and tests ran with, for the PR body; none when nothing was declared. */
  toolchains: string | undefined;
}

/**
 * A fresh clone on a new branch (or the paused job's work restored on its base), the sandbox its
 * commands run in, and setup: dependencies installed before the agent starts, in the same sandbox
 * but with the network and the repository's package caches; a failure ends the job here, before
 * any model call. A resumed job sets up again: its snapshot holds only the repository's files.
 */
export async function prepareWorkspace(
  run: JobRun,
  control: JobControl,
  at: IssueAtHand,
  hold: WorkspaceHold,
): Promise<PreparedWorkspace> {
  const { deps, paused } = run;
  const { config } = run.job;
  const paths = new PathPolicy(config.paths);
  let workspace = await createWorkspace({
    root: deps.workspaceRoot,
    cloneUrl: at.repository.cloneUrl,
    baseBranch: at.repository.defaultBranch,
    branch: paused?.branch ?? branchName(at.issue.number, at.issue.title),
    continueBranch: paused ? undefined : at.revision?.branch,
    credentials: at.credentials,
    redact: (text) => deps.redactor.redact(text),
    cache: deps.repositoryCache,
    // The sandbox's git view is made while the tree is checked out (see prepareGitView).
    viewPolicy: paths,
  });
  hold.workspace = workspace;
  const dir = await realpath(workspace.dir);
  const baseSandboxFor = await sandboxesFor(run, workspace, dir, paths);
  // Toolchains the base branch declares: provisioned (Node.js) or checked, before any model call.
  const toolchains = await setUpToolchains({
    workspace,
    workspaceDir: dir,
    config,
    cacheDir: deps.toolchainDir ?? defaultToolchainDir(),
    setupEnvironment: deps.setupEnvironment,
    sandboxFor: baseSandboxFor,
    signal: control.signal,
  });
  const toolchainNote = renderToolchains(toolchains.prepared.used);
  if (toolchainNote) void run.reporter.note(toolchainNote);
  const sandboxFor: SandboxFor = (access) => baseSandboxFor(toolchains.access(access));
  const sandbox = await sandboxFor({
    network: config.sandbox.network,
    readOnlyDirs: [workspace.dependencyCache],
    environment: agentCacheEnvironment(workspace.dependencyCache),
  });
  run.reporter.progress.unsandboxed = !sandbox.isolated;
  hold.recyclable = sandbox.isolated;

  // Planned and run on the base branch's files, before the agent's work is put back: setup has
  // the network, and must never run a manifest the agent wrote.
  const current = workspace;
  const setup = await onBaseTree(workspace, async () => {
    const plan = planSetup(config.setup.commands, await readdir(dir));
    if (plan.commands.length > 0) await runSetupStep(run, control, current, plan, sandboxFor);
    await toolchains.linkProjectTools();
    return plan;
  });
  if (paused) {
    await restoreWorkspace(workspace, paused);
    // The tree now holds the agent's work: nothing after this may take it for the base's files.
    workspace = { ...workspace, baseSha: paused.baseSha, madeOnBase: false };
    hold.workspace = workspace;
  }
  run.job = withEvent(run.job, `workspace ready on branch ${workspace.branch} at ${workspace.baseSha}`);
  await run.save();

  const tests = planTestCommand(config.gates.tests.command, await readRepositoryRoot(dir));
  void run.reporter.note(renderTestCommandNote(tests, config.gates.test_first));
  return { workspace, dir, paths, sandbox, setup, tests, toolchains: toolchainNote };
}

type SandboxFor = (access: SandboxAccess) => Promise<Sandbox>;

async function sandboxesFor(
  run: JobRun,
  workspace: Workspace,
  dir: string,
  paths: PathPolicy,
): Promise<SandboxFor> {
  const { scratch, objectSource } = workspace;
  // Commands see a repository without the forbidden files' history (see prepareGitView).
  const gitView = workspace.gitView ?? (await prepareGitView(workspace, paths));
  return (access) =>
    chooseSandbox({
      workspace: dir,
      scratch,
      config: run.job.config,
      policy: paths,
      objectSource,
      gitView,
      access,
      // Other jobs' workspaces (and, by default, the repository caches) live under this root.
      privatePaths: [run.deps.workspaceRoot],
    });
}

async function runSetupStep(
  run: JobRun,
  control: JobControl,
  workspace: Workspace,
  plan: SetupPlan,
  sandboxFor: SandboxFor,
): Promise<void> {
  const { deps, reporter } = run;
  const { config } = run.job;
  void reporter.phase(`Setting up the workspace (${plan.source})`);
  const report = await runSetup({
    workspace,
    plan,
    sandbox: await sandboxFor({
      network: config.setup.network,
      writableDirs: [workspace.dependencyCache],
      environment: { ...deps.setupEnvironment, ...dependencyCacheEnvironment(workspace.dependencyCache) },
    }),
    timeoutMs: config.setup.timeout_minutes * 60_000,
    signal: control.signal,
    redact: (text) => deps.redactor.redact(text),
  });
  void reporter.note(renderSetupNote(report));
  run.job = withEvent(run.job, `setup done in ${Math.round(report.durationMs / 1000)} s`);
  await run.save();
}
