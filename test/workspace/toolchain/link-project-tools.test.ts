import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SYSTEM_PATH_DIRS } from "../../../src/sandbox/command-environment.ts";
import { linkProjectTools } from "../../../src/workspace/toolchain/link-project-tools.ts";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function program(file: string, text: string, mode = 0o755): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho ${text}\n`, { mode });
}

describe("the project's tools, as setup left them", () => {
  it("links its programs, never over a system program unless that one is a script of the same language, nor what is not a program", async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-tools-"));
    const workspace = path.join(root, "repo");
    const shimDir = path.join(root, "project-tools");
    program(path.join(workspace, "node_modules/vitest/vitest.mjs"), "vitest");
    mkdirSync(path.join(workspace, "node_modules/.bin"), { recursive: true });
    symlinkSync("../vitest/vitest.mjs", path.join(workspace, "node_modules/.bin/vitest"));
    program(path.join(workspace, "node_modules/.bin/git"), "not-git");
    program(path.join(workspace, ".venv/bin/python3"), "venv-python");
    program(path.join(workspace, ".venv/bin/pytest"), "pytest");
    program(path.join(workspace, ".venv/bin/ls"), "not-ls");
    program(path.join(workspace, ".venv/bin/activate"), "not-a-program", 0o644);
    program(path.join(workspace, ".venv/bin/bad name"), "odd");

    // A system with its own pytest (a Python script, as Debian's) and a `tsc` that is a binary.
    const system = path.join(root, "system-bin");
    mkdirSync(system);
    writeFileSync(path.join(system, "pytest"), "#!/usr/bin/python3\nimport pytest\n", { mode: 0o755 });
    writeFileSync(path.join(system, "tsc"), "\x7fELF\x02\x01", { mode: 0o755 });
    program(path.join(workspace, "node_modules/.bin/tsc"), "project-tsc");
    const protectedDirs = [system, ...SYSTEM_PATH_DIRS];

    const linked = await linkProjectTools({ workspace, shimDir, protectedDirs });

    expect(linked).toEqual(["vitest", "pytest", "python3"]);
    expect(readdirSync(shimDir).sort()).toEqual(["pytest", "python3", "vitest"]);
    // A launcher runs the program at its place in the workspace, with its arguments.
    const run = (name: string) => execFileSync(path.join(shimDir, name), ["x"], { encoding: "utf8" });
    expect(run("vitest")).toBe("vitest\n");
    expect(run("python3")).toBe("venv-python\n");
  });
});
