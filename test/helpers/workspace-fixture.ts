import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import type { RepositoryCache } from "../../src/workspace/repository-cache.ts";
import { createWorkspace } from "../../src/workspace/workspace.ts";
import { createRemoteRepository } from "./git-fixtures.ts";

/**
 * One remote holding `files` and one scratch root for a whole test file, both removed after its
 * last test: each test's jobs get workspaces of their own from `workspaceFor` (cloned directly,
 * or through `cache` like the app's jobs).
 */
export function workspaceFixture(files: Record<string, string>) {
  const remote = createRemoteRepository(files);
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-workspace-")));
  afterAll(() => {
    remote.cleanup();
    rmSync(root, { recursive: true, force: true });
  });
  const workspaceFor = (branch: string, cache?: RepositoryCache) =>
    createWorkspace({
      root: path.join(root, "jobs"),
      cloneUrl: remote.bare,
      baseBranch: "main",
      branch,
      credentials: undefined,
      redact: (text) => text,
      cache,
    });
  return { remote, root, workspaceFor };
}
