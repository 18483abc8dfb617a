import path from "node:path";
import { describe, expect, it } from "vitest";
import { RepositoryCache } from "../../src/workspace/repository-cache.ts";
import { readBaseFiles } from "../../src/workspace/toolchain/read-base-files.ts";
import { createWorkspace } from "../../src/workspace/workspace.ts";
import { pushAgentCommit } from "../helpers/git-fixtures.ts";
import { workspaceFixture } from "../helpers/workspace-fixture.ts";

const { remote, root } = workspaceFixture({ "README.md": "hello\n", "src/a.ts": "export {};\n" });

describe("the base branch's files", () => {
  // A follow-up job starts on the agent's branch: its toolchain files and its prompt's file list
  // must still be the base's, never what the agent committed.
  pushAgentCommit(remote.bare, "agent/5-more", { ".nvmrc": "16\n", "x.ts": "agent\n" });

  for (const cached of [false, true]) {
    it(`are the base's on a continued branch (${cached ? "with" : "without"} the repository cache)`, async () => {
      const workspace = await createWorkspace({
        root: path.join(root, "jobs"),
        cloneUrl: remote.bare,
        baseBranch: "main",
        branch: "agent/5-more",
        continueBranch: "agent/5-more",
        credentials: undefined,
        redact: (text) => text,
        cache: cached ? new RepositoryCache(path.join(root, "cache"), 1024 ** 3) : undefined,
      });
      try {
        const listed = (await workspace.baseTree()).map((entry) => entry.path);
        expect(listed.sort()).toEqual(["README.md", "src/a.ts"]);
        const toolchainFiles = await readBaseFiles(workspace, [".nvmrc"]);
        expect(toolchainFiles.read(".nvmrc")).toBeUndefined();
        expect([...toolchainFiles.files].sort()).toEqual(["README.md", "src"]);
      } finally {
        await workspace.dispose();
      }
    });
  }
});
