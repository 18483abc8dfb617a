import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openGit } from "../../../src/git.ts";
import { afterEach, describe, expect, it } from "vitest";
import { baseTreeOf } from "../../../src/workspace/base-tree.ts";
import { readBaseFiles } from "../../../src/workspace/toolchain/read-base-files.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "base-files-"));
  dirs.push(dir);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  git("init", "-q", "-b", "main");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git("add", "-A");
  git("commit", "-qm", "base");
  return dir;
}

const read = (dir: string, git = openGit(dir, process.env)) =>
  readBaseFiles({ git, baseBranch: "main", baseTree: baseTreeOf(git, "main") }, [
    ".nvmrc",
    ".python-version",
  ]);

describe("reading the base branch's toolchain files", () => {
  it("reads the named files and lists the root", async () => {
    const base = await read(
      repository({
        ".nvmrc": "22\n",
        "package.json": "{}\n",
        "src/.python-version": "3.12\n",
        "src/a.ts": "",
      }),
    );
    expect(base.read(".nvmrc")).toBe("22\n");
    // Only the root's files declare: one deeper down is a subproject's.
    expect(base.read(".python-version")).toBeUndefined();
    expect([...base.files].sort()).toEqual([".nvmrc", "package.json", "src"]);
  });

  it("takes a directory of that name for no declaration", async () => {
    const base = await read(repository({ ".nvmrc/x": "22\n" }));
    expect(base.read(".nvmrc")).toBeUndefined();
  });

  it("takes a submodule of that name for no declaration", async () => {
    const dir = repository({ "README.md": "x\n" });
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
    execFileSync("git", ["update-index", "--add", "--cacheinfo", `160000,${commit},.nvmrc`], { cwd: dir });
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "gitlink"], {
      cwd: dir,
    });
    const base = await read(dir);
    expect(base.read(".nvmrc")).toBeUndefined();
    expect(base.files.has(".nvmrc")).toBe(true);
  });

  it("fails, rather than silently dropping the declaration, when git cannot read the file", async () => {
    const dir = repository({ ".nvmrc": "18\n" });
    const blob = execFileSync("git", ["rev-parse", "main:.nvmrc"], { cwd: dir, encoding: "utf8" }).trim();
    unlinkSync(path.join(dir, ".git/objects", blob.slice(0, 2), blob.slice(2)));
    await expect(read(dir)).rejects.toThrow();
  });
});
