import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const checkout = path.resolve(".");
const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-installed-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * An installed copy, laid out as npm lays it out: the packed tarball unpacked into
 * node_modules/issue-agent, its dependencies beside it (linked from this checkout, since tests run
 * offline), and the command linked from node_modules/.bin.
 */
async function installPackedCopy(): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", root], {
    cwd: checkout,
    maxBuffer: 16 * 1024 * 1024,
  });
  const tarball = path.join(root, stdout.trim().split("\n").at(-1)!);
  const modules = path.join(root, "app", "node_modules");
  mkdirSync(path.join(modules, ".bin"), { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", modules]);
  await run("mv", [path.join(modules, "package"), path.join(modules, "issue-agent")]);
  for (const entry of readdirSync(path.join(checkout, "node_modules"))) {
    if (entry.startsWith(".")) continue;
    symlinkSync(path.join(checkout, "node_modules", entry), path.join(modules, entry));
  }
  const bin = path.join(modules, ".bin", "issue-agent");
  symlinkSync("../issue-agent/bin/issue-agent.js", bin);
  return bin;
}

describe("the issue-agent command from an installed copy", () => {
  it("runs from node_modules, where Node strips no types, and explains its usage", async () => {
    const bin = await installPackedCopy();
    // The real path stays under node_modules: this is the copy, not a link back to the checkout.
    expect(readdirSync(path.join(root, "app", "node_modules", "issue-agent"))).toEqual(
      expect.arrayContaining(["bin", "dist", "package.json"]),
    );

    const { stdout } = await run(bin, ["--help"], {
      cwd: path.join(root, "app"),
      env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: root },
    });
    expect(stdout).toContain("Usage: issue-agent run --repo <path> --issue <file or text>");
  }, 300_000);
});
