import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
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

/** `links`: symbolic links to commit, by path, with what each points to as written. */
function repository(files: Record<string, string>, links: Record<string, string> = {}): string {
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
  for (const [link, target] of Object.entries(links)) symlinkSync(target, path.join(dir, link));
  git("add", "-A");
  git("commit", "-qm", "base");
  return dir;
}

const read = (dir: string, git = openGit(dir, process.env)) =>
  readBaseFiles({ git, baseTree: baseTreeOf(git, "main") }, [".nvmrc", ".python-version"]);

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

  it("reads a linked file as the file it points to in the tree, as nvm and pyenv do", async () => {
    const base = await read(
      repository(
        { ".node-version": "20.11\n", "config/python-version": "3.12\n" },
        { ".nvmrc": ".node-version", ".python-version": "./config/../config/python-version" },
      ),
    );
    expect(base.read(".nvmrc")).toBe("20.11\n");
    expect(base.read(".python-version")).toBe("3.12\n");
  });

  it("follows a chain of links, but takes a loop for no declaration", async () => {
    const chain = repository({ "versions/node": "22\n" });
    symlinkSync("node", path.join(chain, "versions/current"));
    symlinkSync("versions/current", path.join(chain, ".nvmrc"));
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "add", "-A"], { cwd: chain });
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "links"], {
      cwd: chain,
    });
    expect((await read(chain)).read(".nvmrc")).toBe("22\n");
    const loop = await read(repository({}, { ".nvmrc": ".python-version", ".python-version": ".nvmrc" }));
    expect(loop.read(".nvmrc")).toBeUndefined();
    expect(loop.read(".python-version")).toBeUndefined();
  });

  it("takes a link out of the tree, or to nothing, for no declaration, never the host's file", async () => {
    const dir = repository(
      { "README.md": "x\n" },
      { ".nvmrc": "/etc/hostname", ".python-version": "../../etc/hostname" },
    );
    // Files of those names inside the tree must not be taken for the host's either.
    mkdirSync(path.join(dir, "etc"));
    writeFileSync(path.join(dir, "etc/hostname"), "18\n");
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "add", "-A"], { cwd: dir });
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "etc"], { cwd: dir });
    const base = await read(dir);
    expect(base.read(".nvmrc")).toBeUndefined();
    expect(base.read(".python-version")).toBeUndefined();
    expect((await read(repository({}, { ".nvmrc": "missing" }))).read(".nvmrc")).toBeUndefined();
  });

  it("fails, rather than silently dropping the declaration, when git cannot read the file", async () => {
    const dir = repository({ ".nvmrc": "18\n" });
    const blob = execFileSync("git", ["rev-parse", "main:.nvmrc"], { cwd: dir, encoding: "utf8" }).trim();
    unlinkSync(path.join(dir, ".git/objects", blob.slice(0, 2), blob.slice(2)));
    await expect(read(dir)).rejects.toThrow();
  });
});
