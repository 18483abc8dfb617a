import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const AUTHOR = ["-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.com"];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: cwd },
  });
}

/**
 * A bare repository on branch `main` holding `files`, the "remote" of a test. Returns its path,
 * a scratch directory and a cleanup function.
 */
export function createRemoteRepository(files: Record<string, string>): {
  root: string;
  bare: string;
  cleanup(): void;
} {
  const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-test-"));
  const bare = path.join(root, "remote.git");
  const seed = path.join(root, "seed");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
  git(root, "init", "--quiet", "--initial-branch=main", seed);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
    writeFileSync(path.join(seed, file), content);
  }
  git(seed, "add", "--all");
  git(seed, ...AUTHOR, "commit", "--quiet", "-m", "initial");
  git(seed, "push", "--quiet", bare, "main");
  rmSync(seed, { recursive: true, force: true });
  return { root, bare, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A maintainer's commit on `branch` of the remote changing `files`, as if pushed from elsewhere. */
export function pushToBranch(bare: string, branch: string, files: Record<string, string>): void {
  const work = mkdtempSync(path.join(os.tmpdir(), "issue-agent-upstream-"));
  try {
    git(work, "clone", "--quiet", "--branch", branch, bare, ".");
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(work, file), content);
    git(work, "add", ".");
    git(work, ...AUTHOR, "commit", "--quiet", "-m", `change ${Object.keys(files).join(", ")}`);
    git(work, "push", "--quiet", "origin", branch);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Files of a branch as the remote holds them. */
export function readBranchFile(bare: string, branch: string, file: string): string {
  return git(bare, "show", `${branch}:${file}`);
}

export function branchLog(bare: string, branch: string, format = "%an <%ae>%n%B%n----"): string {
  return git(bare, "log", `--format=${format}`, `main..${branch}`);
}

export function headOf(bare: string, ref: string): string {
  return git(bare, "rev-parse", ref).trim();
}

/** Pushes `branch` as the agent left it: one commit of the agent's on main changing `files`; returns its sha. */
export function pushAgentCommit(bare: string, branch: string, files: Record<string, string>): string {
  const work = mkdtempSync(path.join(os.tmpdir(), "issue-agent-branch-"));
  try {
    git(work, "clone", "--quiet", bare, ".");
    git(work, "checkout", "--quiet", "-b", branch);
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(work, file), content);
    git(work, "add", ".");
    git(
      work,
      "-c",
      "user.name=issue-agent[bot]",
      "-c",
      "user.email=bot@x",
      "commit",
      "--quiet",
      "-m",
      "Agent's work",
    );
    git(work, "push", "--quiet", "origin", branch);
    return git(work, "rev-parse", "HEAD").trim();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
