import { describe, expect, it } from "vitest";
import { checkDeclared } from "../../../src/workspace/toolchain/check-declared.ts";
import { servesDeclared, versionIn } from "../../../src/workspace/toolchain/match-version.ts";
import { nodeRange, pickNodeVersion } from "../../../src/workspace/toolchain/node-version-range.ts";
import { readDeclaredToolchains } from "../../../src/workspace/toolchain/read-declared-toolchains.ts";

const files = (entries: Record<string, string>) => (name: string) => entries[name];

describe("the versions a repository declares", () => {
  it.each([
    [{ ".nvmrc": "v22\n" }, { version: "v22", source: "`.nvmrc`" }],
    [{ ".nvmrc": "# pinned\n\nlts/iron  # LTS\n" }, { version: "lts/iron", source: "`.nvmrc`" }],
    [{ ".node-version": "20.11.1" }, { version: "20.11.1", source: "`.node-version`" }],
    [
      { "package.json": '{ "engines": { "node": ">=22" } }' },
      { version: ">=22", source: "`engines.node` in `package.json`" },
    ],
    [
      { ".nvmrc": "22", "package.json": '{ "engines": { "node": ">=18" } }' },
      { version: "22", source: "`.nvmrc`" },
    ],
    [{ "package.json": "not json" }, undefined],
  ])("Node.js from %j", (entries, expected) => {
    expect(readDeclaredToolchains(files(entries)).node).toEqual(expected);
  });

  it("reads Python, Go (toolchain line first) and Rust, and the package manager", () => {
    const declared = readDeclaredToolchains(
      files({
        ".python-version": "3.11\n3.10\n",
        "go.mod": "module x\n\ngo 1.21\n\ntoolchain go1.22.3\n",
        "rust-toolchain.toml": '[toolchain]\nchannel = "1.75.0"\ncomponents = ["clippy"]\n',
        "package.json": '{ "packageManager": "pnpm@9.12.0+sha512.abc" }',
      }),
    );
    expect(declared).toEqual({
      python: { version: "3.11", source: "`.python-version`" },
      go: { version: "1.22.3", source: "the `toolchain` line of `go.mod`" },
      rust: { version: "1.75.0", source: "`rust-toolchain.toml`" },
      packageManager: { name: "pnpm", version: "9.12.0", source: "`packageManager` in `package.json`" },
    });
    expect(readDeclaredToolchains(files({ "go.mod": "module x\ngo 1.19\n" })).go?.version).toBe("1.19");
    expect(readDeclaredToolchains(files({ "rust-toolchain": "stable\n" })).rust?.version).toBe("stable");
  });

  it("keeps a declared version plain text: nothing in it can close the code span it is shown in", () => {
    const declared = readDeclaredToolchains(
      files({
        "package.json": JSON.stringify({
          packageManager: "pnpm@9`![x](https://tracker.example/p.png)`",
          engines: { node: ">=20 <23 || ^24.1" },
        }),
        "rust-toolchain.toml": '[toolchain]\nchannel = "1.70`@org/team`"\n',
      }),
    );
    expect(declared.packageManager?.version).toBe("9???x??https?//tracker.example/p.png??");
    expect(declared.rust?.version).toBe("1.70??org/team?");
    expect(declared.node?.version).toBe(">=20 <23 || ^24.1");
  });

  it("lets `toolchain:` in .github/agent.yml win over the files", () => {
    const declared = readDeclaredToolchains(files({ ".nvmrc": "18", ".python-version": "3.9" }), {
      node: "22",
      python: "3.11",
    });
    expect(declared.node).toEqual({ version: "22", source: "`toolchain.node` in `.github/agent.yml`" });
    expect(declared.python?.version).toBe("3.11");
  });
});

describe("resolving a Node.js version", () => {
  const released = new Map<string, Date>([
    ["20.0.0", new Date("2023-04-18")],
    ["20.19.1", new Date("2025-01-01")],
    ["22.0.0", new Date("2024-04-24")],
    ["22.23.5", new Date("2026-06-01")],
    ["24.0.0", new Date("2025-05-06")],
    ["24.22.3", new Date("2026-10-01")],
    ["26.0.0", new Date("2026-04-21")],
    ["26.12.1", new Date("2026-11-20")],
    ["27.0.0-rc.1", new Date("2026-11-25")],
  ]);
  const pick = (spec: string, now = "2026-12-01") => {
    const range = nodeRange(spec);
    return range.kind === "invalid" ? "invalid" : pickNodeVersion(range, released, new Date(now));
  };

  it.each([
    ["22", "22.23.5"],
    ["v22", "22.23.5"],
    [">=22 <24", "22.23.5"],
    ["^20", "20.19.1"],
    ["20.0.0", "20.0.0"],
    ["lts/iron", "20.19.1"],
    ["node", "26.12.1"],
    ["lts/*", "26.12.1"],
    ["19", undefined],
    ["lts/unknown", "invalid"],
    ["$(touch /tmp/x)", "invalid"],
  ])("%s → %s", (spec, expected) => {
    expect(pick(spec)).toBe(expected);
  });

  it("takes lts/* as the newest even line old enough to be LTS", () => {
    // In August 2026, 26 is not LTS yet: 24 is the newest LTS line.
    expect(pick("lts/*", "2026-08-01")).toBe("24.22.3");
  });
});

describe("whether the sandbox's toolchain serves the declared version", () => {
  it.each([
    ["python", "3.11", "3.11.2", true],
    ["python", "3.11.2", "3.11.2", true],
    ["python", "3.12", "3.11.2", false],
    ["python", "3.1", "3.11.2", false],
    ["python", "pypy3.9", "3.11.2", false],
    // pyenv writes the patch release it installed; any 3.11 serves it.
    ["python", "3.11.4", "3.11.2", true],
    ["python", "3", "3.11.2", true],
    ["python", "3.12-dev", "3.11.2", false],
    // A pyenv virtualenv's name says nothing about the version inside it.
    ["python", "myproject", "3.11.2", true],
    ["python", "system", "3.11.2", true],
    ["go", "1.19", "1.19.8", true],
    ["go", "1.18", "1.19.8", true],
    ["go", "1.22", "1.19.8", false],
    ["go", "1.22.3", "1.23.0", true],
    ["rust", "stable", "1.63.0", true],
    ["rust", "1.63", "1.63.0", true],
    ["rust", "1.75.0", "1.63.0", false],
    ["rust", "nightly-2024-01-01", "1.63.0", false],
  ] as const)("%s %s with %s: %s", (language, declared, found, expected) => {
    expect(servesDeclared(language, declared, found)).toBe(expected);
  });

  it("reads the version in each tool's output", () => {
    expect(versionIn("Python 3.11.2")).toBe("3.11.2");
    expect(versionIn("go version go1.19.8 linux/amd64")).toBe("1.19.8");
    expect(versionIn("rustc 1.63.0")).toBe("1.63.0");
    expect(versionIn("v22.23.5")).toBe("22.23.5");
    expect(versionIn("")).toBeUndefined();
  });

  it("names each problem: a missing toolchain and a wrong version", () => {
    const result = checkDeclared(
      {
        go: { version: "1.22", source: "the `go` line of `go.mod`" },
        rust: { version: "1.75", source: "`rust-toolchain.toml`" },
        python: { version: "3.11", source: "`.python-version`" },
      },
      { go: "1.19.8", rust: null, python: "3.11.2", node: "24.1.0" },
    );
    expect(result.problems).toEqual([
      "the `go` line of `go.mod` asks for Go `1.22`, but the sandbox has Go 1.19.8 (`go`).",
      "`rust-toolchain.toml` asks for Rust `1.75`, but the sandbox has no `rustc`.",
    ]);
    expect(result.used).toEqual([
      { name: "Node.js", version: "24.1.0", reason: "none declared" },
      { name: "Python", version: "3.11.2", reason: "`.python-version` says `3.11`" },
    ]);
  });

  it("says what it did not check or switch: a virtualenv's name, and npm", () => {
    const result = checkDeclared(
      {
        python: { version: "myproject", source: "`.python-version`" },
        packageManager: { name: "npm", version: "10.2.0", source: "`packageManager` in `package.json`" },
      },
      { python: "3.11.2" },
    );
    expect(result.problems).toEqual([]);
    expect(result.used).toEqual([
      {
        name: "Python",
        version: "3.11.2",
        reason: "`.python-version` names the virtualenv `myproject`, not a version: not checked",
      },
      {
        name: "npm",
        version: "beside Node.js",
        reason: "`packageManager` in `package.json` asks for `10.2.0`, which is not switched",
      },
    ]);
  });
});
