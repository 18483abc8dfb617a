import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox, probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";

// bwrap follows a link where the layout mounts (its destination in the new root, its source in the
// host's), and it mounts as the app, root here. A link the agent or the repository made, named by a
// rule, must neither mount the host over the sandbox nor make bwrap create a file on the host.
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-link-escape-")));
const workspace = path.join(root, "repo");
const appSecretFile = path.join(root, "app-private-key.pem");
/**
 * From the workspace's directory `below` levels down, to bwrap's own root as it sets the mounts up
 * (the sandbox's root is then at /newroot, the host's at /oldroot).
 */
const upToSetupRoot = (below: number) => "../".repeat(workspace.split("/").filter(Boolean).length + below);

/** A directory of the host's outside anything the sandbox shows, holding a file a rule forbids. */
const hostDir = `/opt/issue-agent-link-escape-${process.pid}`;

const run = (command: string) =>
  new BubblewrapSandbox({
    workspace,
    scratch: path.join(root, "scratch"),
    access: { network: false },
    policy: new PathPolicy(
      parseAgentConfig({
        paths: { forbidden: [".env*", "**/*.key"], read_only: ["docs/vendor", "lib-link"] },
      }).paths,
    ),
  }).run({ command, cwd: workspace, timeoutMs: 15_000, maxOutputBytes: 20_000 });

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  for (const dir of [".git", "docs", "notes", "lib"])
    mkdirSync(path.join(workspace, dir), { recursive: true });
  writeFileSync(path.join(workspace, ".git/config"), "[core]\n");
  writeFileSync(path.join(workspace, "notes/deploy.txt"), "TOKEN=tok-behind-a-link\n");
  writeFileSync(path.join(workspace, "lib/a.js"), "export {};\n");
  writeFileSync(path.join(workspace, "README.md"), "readme\n");
  writeFileSync(appSecretFile, "-----BEGIN PRIVATE KEY----- app\n");
  mkdirSync(hostDir);
  writeFileSync(path.join(hostDir, "server.key"), "k\n");
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});

describe("links named by a path rule", () => {
  it("a read-only rule on a link to the host's root mounts nothing of the host's", async () => {
    await run(`ln -s ${upToSetupRoot(1)} docs/vendor`);
    const result = await run(`cat ${appSecretFile}; ls ${root}; cat README.md`);
    expect(result.output).not.toContain("BEGIN PRIVATE KEY");
    // The command still runs, in its own workspace.
    expect(result.output).toContain("readme");
    await run("rm docs/vendor");
  });

  it("a forbidden name on a link out of the workspace creates nothing on the host", async () => {
    const planted = path.join(root, "planted-by-bwrap");
    await run(`ln -s ${upToSetupRoot(1)}oldroot${planted} evil.key`);
    const result = await run("echo still-runs");
    expect(result.output).toContain("still-runs");
    expect(existsSync(planted)).toBe(false);
    await run("rm evil.key");
  });

  it("a forbidden name on a link hides what it points to in the workspace", async () => {
    await run("ln -s notes/deploy.txt .env.production");
    const result = await run("cat notes/deploy.txt; cat .env.production; echo end");
    expect(result.output).not.toContain("tok-behind-a-link");
    expect(result.output).toContain("end");
    await run("rm .env.production");
    expect((await run("cat notes/deploy.txt")).output).toContain("tok-behind-a-link");
  });

  it("a read-only name on a link makes what it points to in the workspace read-only", async () => {
    await run("ln -s lib lib-link");
    const result = await run("touch lib/b.js; echo lib:$?; touch lib-link/c.js; echo link:$?");
    expect(result.output).toContain("lib:1");
    expect(result.output).toContain("link:1");
    expect(existsSync(path.join(workspace, "lib/b.js"))).toBe(false);
    await run("rm lib-link");
  });

  it("a link inside a read-only directory leaves what it points to as its own rules say", async () => {
    // npm and yarn workspaces link their packages into node_modules.
    await run("mkdir -p node_modules/@me packages/app && ln -s ../../packages/app node_modules/@me/app");
    const result = await new BubblewrapSandbox({
      workspace,
      scratch: path.join(root, "scratch"),
      access: { network: false },
      policy: new PathPolicy(parseAgentConfig({ paths: { read_only: ["node_modules"] } }).paths),
    }).run({
      command: "echo x > packages/app/index.js; echo package:$?; touch node_modules/@me/new; echo modules:$?",
      cwd: workspace,
      timeoutMs: 15_000,
      maxOutputBytes: 20_000,
    });
    expect(result.output).toContain("package:0");
    expect(result.output).toContain("modules:1");
    await run("rm -rf node_modules packages");
  });

  it("a link no rule names works as it does outside the sandbox", async () => {
    const result = await run("ln -s lib/a.js a-link && cat a-link && echo more >> a-link && cat lib/a.js");
    expect(result).toMatchObject({ exitCode: 0, output: "export {};\nexport {};\nmore\n" });
  });
});

// A name that is not valid UTF-8 reads as U+FFFD: `x<0xff>` and a link named `x\uFFFD` (its UTF-8
// bytes) are listed under one name, and a mount built from the real entry would land on the link.
describe("a name that is not UTF-8 beside a link that reads the same", () => {
  const odd = `"$(printf 'x\\377')"`;
  const alias = `"$(printf 'x\\357\\277\\275')"`;
  const clean = () => {
    for (const name of readdirSync(workspace, { encoding: "buffer" }))
      if (name[0] === 0x78 /* x */)
        rmSync(Buffer.concat([Buffer.from(`${workspace}/`), name]), { recursive: true });
  };

  it("a forbidden file of that name makes bwrap create nothing on the host", async () => {
    const planted = path.join(root, "planted-through-an-alias");
    await run(`touch ${odd}.key && ln -s ${upToSetupRoot(1)}oldroot${planted} ${alias}.key`);
    const result = await run("echo ran");
    expect(existsSync(planted)).toBe(false);
    expect(result.output).toMatch(/forbidden file "x\uFFFD\.key" cannot be hidden/);
    clean();
  });

  it("a read-only file of that name mounts nothing of the host's", async () => {
    await run(
      `mkdir -p docs/vendor-odd && touch docs/vendor-odd/${odd} && ln -s ${upToSetupRoot(2)} docs/vendor-odd/${alias}`,
    );
    const result = await new BubblewrapSandbox({
      workspace,
      scratch: path.join(root, "scratch"),
      access: { network: false },
      policy: new PathPolicy(parseAgentConfig({ paths: { read_only: ["docs/vendor-odd/*"] } }).paths),
    }).run({
      command: `cat ${appSecretFile}; echo ran`,
      cwd: workspace,
      timeoutMs: 15_000,
      maxOutputBytes: 20_000,
    });
    expect(result.output).not.toContain("BEGIN PRIVATE KEY");
    expect(result.output).toMatch(/path "docs\/vendor-odd\/x\uFFFD" cannot be protected/);
    await run("rm -rf docs/vendor-odd");
  });

  it("a directory of that name is walked as itself, never through the link into the host", async () => {
    await run(`mkdir ${odd} && ln -s ${upToSetupRoot(0)}${hostDir.slice(1)} ${alias}`);
    const result = await run(`echo pwned > ${hostDir}/pwned; echo ran`);
    expect(existsSync(path.join(hostDir, "pwned"))).toBe(false);
    expect(result.output).toContain("ran");
    clean();
  });
});
