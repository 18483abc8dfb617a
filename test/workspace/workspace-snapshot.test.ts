import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { captureWorkspace, restoreWorkspace } from "../../src/workspace/workspace-snapshot.ts";
import { workspaceFixture } from "../helpers/workspace-fixture.ts";

const { workspaceFor } = workspaceFixture({ "README.md": "hello\n" });

describe("a snapshot of a hostile working tree", () => {
  it("keeps the work and leaves out embedded repositories and .GIT directories instead of failing", async () => {
    const first = await workspaceFor("agent/snap-1");
    mkdirSync(path.join(first.dir, "lib", ".GIT"), { recursive: true });
    writeFileSync(path.join(first.dir, "lib", ".GIT", "config"), "[core]\n");
    mkdirSync(path.join(first.dir, "pkg"));
    execFileSync("git", ["init", "-q"], { cwd: path.join(first.dir, "pkg") });
    execFileSync(
      "git",
      ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x"],
      { cwd: path.join(first.dir, "pkg") },
    );
    writeFileSync(path.join(first.dir, "work.txt"), "kept\n");
    const bundle = await captureWorkspace(first);
    const second = await workspaceFor("agent/snap-1");
    await restoreWorkspace(second, { bundle, branch: first.branch });
    const staged = await second.git.raw(["diff", "--cached", "--name-only"]);
    expect(staged.trim().split("\n")).toEqual(["work.txt"]);
    await first.dispose();
    await second.dispose();
  });
});
