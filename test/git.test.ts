import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitError, openGit, pacedGit } from "../src/git.ts";
import { gitEnvironment } from "../src/workspace/git-environment.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ia-git-"));
  execFileSync("git", ["init", "-q", "--initial-branch=main", dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const git = () => openGit(dir, gitEnvironment(dir));

describe("the app's git client", () => {
  it("gives git's output as printed, and rev-parse's trimmed", async () => {
    const blob = await git().raw(["hash-object", "-w", "--stdin"], { input: "hello\n" });
    expect(blob).toBe("ce013625030ba8dba906f756967f9e9ca394464a\n");
    expect(await git().revparse([`${blob.trim()}^{blob}`])).toBe(blob.trim());
    expect(await git().raw(["for-each-ref", "refs/heads/"])).toBe("");
  });

  it("fails with what git printed and its exit code", async () => {
    const failure = await git()
      .raw(["rev-parse", "--verify", "refs/heads/nowhere"])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitError);
    expect(failure).toMatchObject({ exitCode: 128, message: "fatal: Needed a single revision" });
  });

  it("keeps the end of what git printed when it printed a great deal", async () => {
    const missing = Array.from({ length: 2_000 }, (_, index) => `missing-${index}`);
    const failure = await git()
      .raw(["ls-files", "--error-unmatch", "--", ...missing])
      .then(
        () => new Error("git did not fail"),
        (error: unknown) => error as Error,
      );
    expect(failure.message.length).toBeLessThanOrEqual(4_000);
    expect(failure.message).toMatch(/missing-1999/);
    expect(failure.message).not.toMatch(/'missing-0'/);
  });

  it("fails, rather than passing, when git exits with an error and prints nothing", async () => {
    // `rev-parse -q --verify` says nothing about a missing ref; only its exit status tells.
    const failure = await git()
      .raw(["rev-parse", "-q", "--verify", "refs/heads/nowhere"])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ exitCode: 1, message: expect.stringContaining("exit code 1") });
  });

  it("gives git exactly the environment it is handed, none of the app's own", async () => {
    process.env.GIT_DIR = "/nonexistent/from-the-app";
    try {
      expect(await git().revparse(["--absolute-git-dir"])).toBe(path.join(dir, ".git"));
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it("never leaves git waiting for input", async () => {
    // With nothing to read, hash-object --stdin hashes the empty blob instead of waiting forever.
    expect((await git().raw(["hash-object", "--stdin"])).trim()).toBe(
      "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
    );
  });
});

describe("paced git", () => {
  it("starts each git process only once the pace allows, inside the paced work and nowhere else", async () => {
    const ref = (name: string) =>
      execFileSync("git", ["for-each-ref", "--format=%(refname)", `refs/paced/${name}`], {
        cwd: dir,
        encoding: "utf8",
      }).trim();
    const blob = (await git().raw(["hash-object", "-w", "--stdin"], { input: "paced\n" })).trim();
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const paced = pacedGit(
      () => gate,
      () => git().raw(["update-ref", "refs/paced/inside", blob]),
    );
    // Work outside the paced context does not wait.
    await git().raw(["update-ref", "refs/paced/outside", blob]);
    expect(ref("outside")).toBe("refs/paced/outside");
    expect(ref("inside")).toBe("");
    open();
    await paced;
    expect(ref("inside")).toBe("refs/paced/inside");
  });
});
