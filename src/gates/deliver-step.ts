import path from "node:path";
import type { DeliveredStep, GateResult, RunLog } from "../jobs/run-log.ts";
import type { AgentConfig } from "../config/agent-config.schema.ts";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { pendingEntries, stagedChanges, stagedGitlinks } from "../workspace/change-list.ts";
import { gitAs, hasUncommittedChanges } from "../workspace/commit-and-push.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { TestCommandPlan } from "./detect-test-command.ts";
import { diffLines, judgeDiffSize } from "./diff-size-gate.ts";
import { lintGate } from "./lint-gate.ts";
import { pathsGate, reviewReasons } from "./paths-gate.ts";
import { pendingEntriesGate } from "./pending-entries-gate.ts";
import { testTamperingReview } from "./test-tampering-review.ts";
import { testFirstVerdict } from "./test-first-exceptions.ts";
import { succeeded } from "../succeeded.ts";

export type DeliveryResult = { ok: true; step: DeliveredStep } | { ok: false; message: string };

/** A step the agent delivers (`commit_step` or `finish`): its commit message and which changes. */
export interface DeliveryRequest {
  title: string;
  summary: string;
  paths?: readonly string[];
  final: boolean;
}

type Git = ReturnType<typeof gitAs>;

const EXCERPT_CHARS = 3_000;

/**
 * Turns the agent's pending change into one atomic, gated step: commit it, run every gate on that
 * commit alone, keep it if all pass, and otherwise undo the commit (the change stays in the working
 * tree) and tell the agent exactly what failed. Each kept step becomes one pull request.
 */
export class StepDelivery {
  private readonly options: {
    workspace: Workspace;
    config: AgentConfig;
    paths: PathPolicy;
    /** The test command the test-first gate runs (configured or detected). */
    tests: TestCommandPlan;
    sandbox: Sandbox;
    log: RunLog;
    author: () => Promise<{ name: string; email: string }>;
    issueNumber: number;
    /** Who waived test-first for the job (`/agent skip-tests`), asked at each step; none: not waived. */
    waivedBy?: () => string | undefined;
    signal?: AbortSignal;
  };

  constructor(options: StepDelivery["options"]) {
    this.options = options;
  }

  async hasPendingChanges(): Promise<boolean> {
    return hasUncommittedChanges(this.options.workspace.git);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const git = gitAs(this.options.workspace, await this.options.author());
    const staged = await this.stage(git, request.paths);
    if ("refused" in staged) return staged.refused;
    const { baseSha, files } = staged;
    // Judged before the commit, so an oversized step costs no test run; recorded like any gate.
    const size = judgeDiffSize(files, this.options.config.gates.max_diff_lines);
    if (size.refusal) {
      await git.raw(["reset", "-q"]);
      this.record([size.gate]);
      return { ok: false, message: size.refusal };
    }
    const headSha = await this.commit(git, request);
    const gates = await this.gatesOnCleanTree(git, { baseSha, headSha, files, size: size.gate });
    const failed = gates.filter((gate) => gate.status === "failed");
    if (failed.length > 0) {
      await git.raw(["reset", "-q", "--soft", baseSha]);
      await git.raw(["reset", "-q"]);
      this.record(gates);
      return { ok: false, message: describeFailures(failed) };
    }
    const step: DeliveredStep = {
      title: request.title,
      summary: request.summary,
      sha: headSha,
      baseSha,
      files,
      lines: diffLines(files),
      gates,
      reviewReasons: [
        ...reviewReasons(files, this.options.paths),
        ...(await testTamperingReview(
          git,
          { baseSha, headSha, paths: files.map((f) => f.path) },
          this.options.config.gates.tests,
        )),
      ],
    };
    const { log } = this.options;
    log.steps.push(step);
    log.lastRejectedGates = undefined;
    log.changed();
    return { ok: true, step };
  }

  /** Stages the step's paths, refusing what git must never store and a step with nothing in it. */
  private async stage(
    git: Git,
    paths: readonly string[] | undefined,
  ): Promise<{ refused: DeliveryResult } | { baseSha: string; files: DeliveredStep["files"] }> {
    const pathspecs = paths?.length ? paths.map((p) => path.normalize(p)) : ["."];
    if (pathspecs.some((p) => p.startsWith("..") || path.isAbsolute(p))) {
      return { refused: { ok: false, message: "`paths` must be relative paths inside the repository." } };
    }
    // Judged before `git add`: git must never store (or step into) an embedded repository.
    const pending = await this.judgePending(git);
    if (pending) return { refused: pending };
    await git.raw(["add", "--all", "--", ...pathspecs]);
    const baseSha = await git.revparse(["HEAD"]);
    const gitlinks = await stagedGitlinks(git, baseSha);
    const linked = this.refuse(pendingEntriesGate(gitlinks.map((file) => ({ path: `${file}/`, size: 0 }))));
    if (linked) {
      await git.raw(["reset", "-q"]);
      return { refused: linked };
    }
    const files = await stagedChanges(git, baseSha);
    if (files.length === 0) {
      const message = paths?.length
        ? "Nothing to deliver under those paths."
        : "Nothing to deliver: no file changed since the last step.";
      return { refused: { ok: false, message } };
    }
    return { baseSha, files };
  }

  private async commit(git: Git, request: DeliveryRequest): Promise<string> {
    const issue = this.options.issueNumber;
    const trailer = request.final ? `Fixes #${issue}` : `Part of #${issue}`;
    await git.raw([
      "commit",
      "--no-verify",
      "--quiet",
      "-m",
      `${request.title}\n\n${request.summary}\n\n${trailer}`,
    ]);
    return git.revparse(["HEAD"]);
  }

  /** The gates run on the step alone: what is not in it is stashed meanwhile. */
  private async gatesOnCleanTree(
    git: Git,
    step: { baseSha: string; headSha: string; files: DeliveredStep["files"]; size: GateResult },
  ): Promise<GateResult[]> {
    // Popped only if the push made an entry: some changes (ignored files) are never stashed.
    const stashTop = () => git.raw(["rev-parse", "-q", "--verify", "refs/stash"]).catch(() => "");
    const before = await stashTop();
    if (await hasUncommittedChanges(git)) await git.raw(["stash", "push", "--include-untracked", "--quiet"]);
    const stashed = (await stashTop()) !== before;
    try {
      return await this.runGates(git, step);
    } finally {
      if (stashed) await git.raw(["stash", "pop", "--quiet"]);
    }
  }

  private record(gates: GateResult[]): void {
    this.options.log.lastRejectedGates = gates;
    this.options.log.changed();
  }

  /** Refuses the step when what it would add breaks the pending-entry rules (see pendingEntriesGate). */
  private async judgePending(git: Git): Promise<DeliveryResult | undefined> {
    return this.refuse(pendingEntriesGate(await pendingEntries(git, this.options.workspace.dir)));
  }

  private refuse(gate: GateResult | undefined): DeliveryResult | undefined {
    if (!gate) return undefined;
    this.record([gate]);
    return { ok: false, message: describeFailures([gate]) };
  }

  private async runGates(
    git: Git,
    step: { baseSha: string; headSha: string; files: DeliveredStep["files"]; size: GateResult },
  ): Promise<GateResult[]> {
    const { workspace, config, sandbox, signal } = this.options;
    const { baseSha, headSha, files } = step;
    const run = { sandbox, cwd: workspace.dir, ...(signal ? { signal } : {}) };
    const present: string[] = [];
    for (const file of files) {
      if (await succeeded(git.raw(["cat-file", "-e", `${headSha}:${file.path}`]))) present.push(file.path);
    }
    return [
      pathsGate(files, this.options.paths),
      step.size,
      await lintGate(config.gates.lint, present, run),
      await testFirstVerdict({
        waivedBy: this.options.waivedBy,
        git,
        branch: workspace.branch,
        baseSha,
        headSha,
        paths: files.map((f) => f.path),
        gates: config.gates,
        tests: this.options.tests,
        timeoutMs: config.commands.timeout_seconds * 1_000,
        ...run,
      }),
    ];
  }
}

function describeFailures(failed: GateResult[]): string {
  const parts = failed.map((gate) => {
    const excerpts = (gate.excerpts ?? [])
      .map(
        (e) =>
          `--- ${e.title} ---\n${e.text.length > EXCERPT_CHARS ? `…${e.text.slice(-EXCERPT_CHARS)}` : e.text}`,
      )
      .join("\n");
    return `The ${gate.gate} gate failed: ${gate.detail}.${excerpts ? `\n${excerpts}` : ""}`;
  });
  return `${parts.join("\n\n")}\n\nThe step was not delivered; your changes are still in the working tree. Fix them and try again.`;
}
