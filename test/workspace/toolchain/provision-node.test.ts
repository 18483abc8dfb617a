import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { nodeRange } from "../../../src/workspace/toolchain/node-version-range.ts";
import { npmFor, provisionNode } from "../../../src/workspace/toolchain/provision-node.ts";

const cacheDir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-toolchains-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe("the Node.js toolchain cache", () => {
  it("serves a cached version without the registry, and removes staging an earlier process abandoned", async () => {
    const nodeDir = path.join(cacheDir, "node");
    mkdirSync(path.join(nodeDir, "22.1.0"), { recursive: true });
    writeFileSync(path.join(nodeDir, "22.1.0", ".issue-agent-complete-2"), "22.1.0\n");
    // A process killed mid-install leaves its staging directory; one installing now is young.
    const abandoned = path.join(nodeDir, ".staging-22.2.0-dead");
    const installing = path.join(nodeDir, ".staging-22.3.0-live");
    mkdirSync(abandoned);
    mkdirSync(installing);
    const yesterday = new Date(Date.now() - 24 * 3_600_000);
    utimesSync(abandoned, yesterday, yesterday);

    const range = nodeRange(">=22");
    if (range.kind === "invalid") throw new Error("a valid range");
    // No npm on PATH: a registry call would fail the test.
    const node = await provisionNode({
      cacheDir,
      range,
      environment: { PATH: "/nonexistent" },
      timeoutMs: 5_000,
    });

    expect(node?.version).toBe("22.1.0");
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(installing)).toBe(true);
  });

  describe("keeping the cache from growing", () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000);
    /** A cached version, installed then; `lastUsed` when a job last took it, if the app marked it. */
    const version = (nodeDir: string, name: string, installed: Date, lastUsed?: Date, marker = "-2") => {
      mkdirSync(path.join(nodeDir, name), { recursive: true });
      const complete = path.join(nodeDir, name, `.issue-agent-complete${marker}`);
      writeFileSync(complete, `${name}\n`);
      utimesSync(complete, installed, installed);
      if (lastUsed) {
        const used = path.join(nodeDir, name, ".issue-agent-last-used");
        writeFileSync(used, "");
        utimesSync(used, lastUsed, lastUsed);
      }
    };
    const range = (text: string) => {
      const parsed = nodeRange(text);
      if (parsed.kind === "invalid") throw new Error("a valid range");
      return parsed;
    };
    const dirs: string[] = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    const newCache = () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-toolchains-"));
      dirs.push(dir);
      return { dir, nodeDir: path.join(dir, "node") };
    };

    it("removes versions no job has taken for 30 days, never the one it hands out", async () => {
      const { dir, nodeDir } = newCache();
      const now = new Date();
      version(nodeDir, "18.20.4", daysAgo(90), daysAgo(40)); // last taken 40 days ago
      version(nodeDir, "16.20.2", daysAgo(400), daysAgo(40), ""); // the first install format
      version(nodeDir, "20.19.1", daysAgo(60)); // never marked: its 30 days start now
      version(nodeDir, "21.7.3", daysAgo(60), daysAgo(10)); // taken 10 days ago
      version(nodeDir, "22.1.0", daysAgo(60), daysAgo(45)); // old, but the one asked for now
      const node = await provisionNode({
        cacheDir: dir,
        range: range("22"),
        environment: { PATH: "/nonexistent" },
        timeoutMs: 5_000,
        now,
      });
      expect(node?.version).toBe("22.1.0");
      expect(readdirSync(nodeDir).sort()).toEqual(["20.19.1", "21.7.3", "22.1.0"]);
      for (const kept of ["20.19.1", "22.1.0"]) {
        const mark = statSync(path.join(nodeDir, kept, ".issue-agent-last-used")).mtimeMs;
        expect(Math.abs(mark - now.getTime())).toBeLessThan(1_000);
      }
    });

    it("provides again a version another job removed while this one chose it", async () => {
      const { dir, nodeDir } = newCache();
      version(nodeDir, "24.1.0", daysAgo(90), daysAgo(40));
      version(nodeDir, "22.1.0", daysAgo(90), daysAgo(1));
      // A registry that takes a second to answer (and "installs" anything).
      const bin = path.join(dir, "bin");
      mkdirSync(bin);
      const times = JSON.stringify({ "24.0.0": "2025-05-06T00:00:00Z", "24.1.0": "2025-06-01T00:00:00Z" });
      writeFileSync(path.join(bin, "npm"), `#!/bin/sh\nsleep 1\necho '${times}'\n`);
      chmodSync(path.join(bin, "npm"), 0o755);
      const waiting = provisionNode({
        cacheDir: dir,
        range: range("lts/*"),
        environment: { PATH: `${bin}:/usr/bin:/bin` },
        timeoutMs: 10_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Meanwhile another job takes 22 and removes 24.1.0, unused for 40 days.
      const other = await provisionNode({
        cacheDir: dir,
        range: range("22"),
        environment: { PATH: "/nonexistent" },
        timeoutMs: 5_000,
      });
      expect(other?.version).toBe("22.1.0");
      const node = await waiting;
      expect(node?.version).toBe("24.1.0");
      expect(existsSync(path.join(nodeDir, "24.1.0", ".issue-agent-complete-2"))).toBe(true);
    });

    it("serves from a directory it cannot mark, rather than fail the job", async () => {
      const { dir, nodeDir } = newCache();
      version(nodeDir, "22.1.0", daysAgo(1));
      // Stands in for a read-only mount (root ignores file modes): the mark cannot be written.
      mkdirSync(path.join(nodeDir, "22.1.0", ".issue-agent-last-used"));
      const node = await provisionNode({
        cacheDir: dir,
        range: range("22"),
        environment: { PATH: "/nonexistent" },
        timeoutMs: 5_000,
      });
      expect(node?.version).toBe("22.1.0");
    });
  });

  it.each([
    ["24.11.0", "npm@11"],
    ["22.9.0", "npm@11"],
    ["22.1.0", "npm@10"],
    ["20.19.1", "npm@11"],
    ["18.20.4", "npm@10"],
    ["18.0.0", "npm@9"],
    ["16.20.2", "npm@9"],
    ["14.21.3", "npm@9"],
    ["12.22.12", "npm@8"],
    ["10.24.1", "npm@6"],
  ])("gives Node.js %s the npm that runs on it: %s", (node, npm) => {
    expect(npmFor(node)).toBe(npm);
  });

  describe("asking the registry which versions exist", () => {
    const fakes: string[] = [];
    afterEach(() => {
      vi.useRealTimers();
      for (const dir of fakes.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    /** A cache holding 24.1.0, and an `npm` that answers `view` with two 24.x releases, or fails. */
    function registryFake() {
      const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-fake-npm-"));
      fakes.push(dir);
      const calls = path.join(dir, "calls");
      const down = path.join(dir, "down");
      const times = JSON.stringify({ "24.0.0": "2025-05-06T00:00:00Z", "24.1.0": "2025-06-01T00:00:00Z" });
      writeFileSync(
        path.join(dir, "npm"),
        `#!/bin/sh\necho "$*" >> ${calls}\n[ -e ${down} ] && exit 1\necho '${times}'\n`,
      );
      chmodSync(path.join(dir, "npm"), 0o755);
      const nodeDir = path.join(dir, "cache", "node", "24.1.0");
      mkdirSync(nodeDir, { recursive: true });
      writeFileSync(path.join(nodeDir, ".issue-agent-complete-2"), "24.1.0\n");
      const range = nodeRange("lts/*");
      if (range.kind === "invalid") throw new Error("a valid range");
      return {
        provision: () =>
          provisionNode({
            cacheDir: path.join(dir, "cache"),
            range,
            environment: { PATH: `${dir}:/usr/bin:/bin` },
            timeoutMs: 5_000,
            now: new Date("2026-12-01"),
          }),
        calls: () => readFileSync(calls, "utf8").trim().split("\n").length,
        goDown: () => writeFileSync(down, ""),
      };
    }

    it("asks once an hour for `lts/*`, not for every job", async () => {
      const registry = registryFake();
      expect((await registry.provision())?.version).toBe("24.1.0");
      expect((await registry.provision())?.version).toBe("24.1.0");
      expect(registry.calls()).toBe(1);
    });

    it("serves the last list it saw when the registry is down, rather than failing the job", async () => {
      const registry = registryFake();
      expect((await registry.provision())?.version).toBe("24.1.0");
      registry.goDown();
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 3_600_000 });
      expect((await registry.provision())?.version).toBe("24.1.0");
      expect(registry.calls()).toBe(2);
    });
  });
});
