import { readFileSync } from "node:fs";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const text = readFileSync(new URL("Dockerfile", root), "utf8");
const dockerfile = DockerfileParser.parse(text);
const scripts = JSON.parse(readFileSync(new URL("package.json", root), "utf8")).scripts as Record<
  string,
  string
>;

/** The instructions of one build stage, from its FROM to the next. */
function stage(name: string): Instruction[] {
  const all = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const index = froms.findIndex((from) => from.getBuildStage() === name);
  if (index < 0) return [];
  const start = all.indexOf(froms[index]!);
  const next = froms[index + 1];
  return all.slice(start, next ? all.indexOf(next) : undefined);
}

const args = (instructions: Instruction[], keyword: string) =>
  instructions.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? "");

describe("the Dockerfile", () => {
  it("has no problem the Dockerfile linter (dockerfile-utils, as in VS Code) reports", () => {
    expect(validate(text, {}).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("builds a slim and a full target, production dependencies only", () => {
    expect(dockerfile.getFROMs().map((from) => from.getBuildStage())).toEqual(["deps", "slim", "full"]);
    expect(args(stage("deps"), "RUN").join("\n")).toMatch(/npm ci --omit=dev/);
    expect(stage("full")[0]!.getArgumentsContent()).toMatch(/^slim AS full$/);
  });

  it("gives the slim image git, bubblewrap, ripgrep and an init that reaps children", () => {
    const installs = args(stage("slim"), "RUN").join("\n");
    for (const pkg of ["git", "bubblewrap", "ripgrep", "tini"])
      expect(installs).toMatch(new RegExp(`\\b${pkg}\\b`));
    expect(args(stage("slim"), "ENTRYPOINT")).toEqual(['["/usr/bin/tini", "--"]']);
  });

  it("starts what `npm start` starts, as the non-root node user", () => {
    expect(JSON.parse(args(stage("slim"), "CMD")[0]!).join(" ")).toBe(scripts.start);
    expect(args(stage("slim"), "USER").at(-1)).toBe("node");
    expect(args(stage("full"), "USER").at(-1)).toBe("node");
  });

  it("gives the full image the toolchains lockfile detection knows", () => {
    const installs = args(stage("full"), "RUN").join("\n");
    for (const pkg of [
      "python3-venv",
      "python3-pip",
      "golang-go",
      "cargo",
      "rustc",
      "build-essential",
      "maven",
    ])
      expect(installs).toMatch(new RegExp(`\\b${pkg}\\b`));
    expect(installs).toMatch(/\bdefault-jdk(-headless)?\b/);
  });

  it("keeps provisioned Node.js versions in a directory of their own that the node user owns", () => {
    const env = args(stage("slim"), "ENV").join("\n");
    const dir = /ISSUE_AGENT_TOOLCHAIN_DIR=(\S+)/.exec(env)?.[1];
    expect(dir).toBe("/home/node/toolchains");
    // Not inside the workspaces, where a job's files live.
    expect(dir!.startsWith(/ISSUE_AGENT_WORKDIR=(\S+)/.exec(env)![1]!)).toBe(false);
    const runs = args(stage("slim"), "RUN").join("\n");
    expect(runs).toMatch(new RegExp(`mkdir -p [^\\n]*${dir}`));
    expect(runs).toMatch(new RegExp(`chown node:node [^\\n]*${dir}`));
  });

  it("keeps secrets out of the build context", () => {
    const ignored = readFileSync(new URL(".dockerignore", root), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining([".env", "*.pem"]));
  });
});
