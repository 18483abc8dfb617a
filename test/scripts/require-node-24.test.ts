import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { makeCheckout, spawnIn } from "../helpers/app-checkout.ts";

/** The machine's own Node.js when it is older than 24 (CI machines ship one; see .ci/run). */
const OLD_NODE_DIR = "/usr/bin";
function oldNodeVersion(): string | undefined {
  try {
    const version = execFileSync(`${OLD_NODE_DIR}/node`, ["-p", "process.versions.node"], {
      encoding: "utf8",
    }).trim();
    return Number(version.split(".")[0]) < 24 ? version : undefined;
  } catch {
    return undefined;
  }
}
const oldVersion = oldNodeVersion();
const checkout = makeCheckout();
afterAll(() => checkout.cleanup());

describe.skipIf(!oldVersion)(`the npm scripts on Node.js ${oldVersion ?? "< 24"}`, () => {
  it.each(["start", "run worker", "run cli", "test"])(
    "`npm %s` says in one line that Node.js 24 is needed",
    async (script) => {
      // npm's own update notice (a fresh HOME every run) is not the line under test.
      const env = { PATH: `${OLD_NODE_DIR}:/bin`, npm_config_update_notifier: "false" };
      const run = spawnIn(checkout.dir, `${OLD_NODE_DIR}/npm`, script.split(" "), env);
      const stderr: string[] = [];
      run.child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
      expect(await run.exited).not.toBe(0);
      expect(stderr.join("")).toBe(`issue-agent needs Node.js 24 or newer; this is ${oldVersion}\n`);
      expect(run.output()).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
    },
  );
});

describe("the version check on Node.js 24", () => {
  it("lets the entry point run", () => {
    const out = execFileSync(process.execPath, ["--import", "./scripts/require-node-24.js", "-p", "'ran'"], {
      cwd: checkout.dir,
      encoding: "utf8",
    });
    expect(out).toBe("ran\n");
  });
});
