import { describe, expect, it } from "vitest";
import { planSetup } from "../../src/workspace/setup/detect-setup.ts";

describe("planSetup", () => {
  it.each([
    [
      ["package.json", "package-lock.json"],
      ["npm ci --no-audit --no-fund"],
      "detected from `package-lock.json`",
    ],
    [["npm-shrinkwrap.json"], ["npm ci --no-audit --no-fund"], "detected from `npm-shrinkwrap.json`"],
    [
      ["pnpm-lock.yaml", "package-lock.json"],
      ["corepack pnpm install --frozen-lockfile"],
      "detected from `pnpm-lock.yaml`",
    ],
    [["yarn.lock"], ["corepack yarn install --frozen-lockfile"], "detected from `yarn.lock`"],
    [["yarn.lock", ".yarnrc.yml"], ["corepack yarn install --immutable"], "detected from `yarn.lock`"],
    [["uv.lock", "requirements.txt"], ["uv sync --frozen"], "detected from `uv.lock`"],
    [["poetry.lock"], ["poetry install --no-interaction --no-root"], "detected from `poetry.lock`"],
    [
      ["requirements.txt"],
      [
        "python3 -m venv .venv && .venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt",
      ],
      "detected from `requirements.txt`",
    ],
    [["Cargo.lock", "Cargo.toml"], ["cargo fetch --locked"], "detected from `Cargo.lock`"],
    [["go.mod", "go.sum"], ["go mod download"], "detected from `go.sum`"],
  ])("detects the install for %j", (files, commands, source) => {
    expect(planSetup(undefined, files)).toEqual({ commands, source });
  });

  it("installs each ecosystem of a polyglot repository once, in a fixed order", () => {
    expect(planSetup(undefined, ["go.sum", "package-lock.json", "poetry.lock"]).commands).toEqual([
      "npm ci --no-audit --no-fund",
      "poetry install --no-interaction --no-root",
      "go mod download",
    ]);
  });

  it("runs nothing without a lockfile (a bare package.json is not installed)", () => {
    expect(planSetup(undefined, ["package.json", "README.md"])).toEqual({
      commands: [],
      source: "no lockfile found",
    });
  });

  it("prefers the configured commands, and an empty list turns setup off", () => {
    expect(planSetup(["make deps"], ["package-lock.json"])).toEqual({
      commands: ["make deps"],
      source: "`.github/agent.yml`",
    });
    expect(planSetup([], ["package-lock.json"]).commands).toEqual([]);
  });
});
