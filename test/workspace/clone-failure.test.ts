import path from "node:path";
import { describe, expect, it } from "vitest";
import { WorkspaceError } from "../../src/errors.ts";
import { RepositoryCache } from "../../src/workspace/repository-cache.ts";
import { createWorkspace } from "../../src/workspace/workspace.ts";
import { workspaceFixture } from "../helpers/workspace-fixture.ts";

const { remote, root } = workspaceFixture({ "README.md": "hello\n" });

describe("a base branch the repository no longer has", () => {
  for (const cached of [false, true]) {
    it(`is named as such, retryable (${cached ? "with" : "without"} the repository cache)`, async () => {
      const made = createWorkspace({
        root: path.join(root, cached ? "jobs-cached" : "jobs"),
        cloneUrl: remote.bare,
        baseBranch: "trunk",
        branch: "agent/1-x",
        credentials: undefined,
        redact: (text) => text,
        cache: cached ? new RepositoryCache(path.join(root, "cache"), 1024 ** 3) : undefined,
      });
      const error = await made.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(WorkspaceError);
      expect(error).toMatchObject({
        message:
          "The repository has no branch `trunk`, its default branch when the job was asked for: it was renamed or deleted since.",
        retryable: true,
      });
    });
  }
});
