import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `body` in a new Node process, where no grammar has been loaded yet, and returns its JSON. */
async function inFreshProcess(body: string): Promise<unknown> {
  const script = `${body}\nconsole.log(JSON.stringify(result));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

// Each grammar's first user may be the first to load tree-sitter in its process: the changed
// files' gate, for one, can run before any command was judged (a job that only writes files).
describe("tree-sitter's grammars, loaded by whichever parser comes first", () => {
  it("tokenizes a changed file in a process that parsed no command yet", async () => {
    const result = await inFreshProcess(
      `const { codeTokens } = await import("./src/gates/code-tokens.ts");
       const result = await codeTokens("greet.ts", "export const greet = (name: string) => name; // hi");`,
    );
    expect(result).toEqual(expect.arrayContaining(["identifier:greet", "identifier:name", "string:string"]));
    expect(JSON.stringify(result)).not.toContain("hi");
  });

  it("parses a command line in a process that tokenized no file yet", async () => {
    const result = await inFreshProcess(
      `const { parseShell } = await import("./src/guardrails/commands/parse-shell.ts");
       const result = (await parseShell("cat adapter.ts | head -5"))?.type;`,
    );
    expect(result).toBe("program");
  });
});
