import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listFilesTool, searchFilesTool } from "../../../src/agent/tools/search-tools.ts";
import type { ToolContext } from "../../../src/agent/tools/tool.ts";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../../src/guardrails/paths/path-policy.ts";

const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-search-")));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
for (const [file, text] of Object.entries({
  "src/a.ts": "const SECRET_NAME = 'not a secret';\n",
  "x:y/creds.json": '{"token": "SECRET_EXTGLOB"}\n',
  "vault/db.txt": "SECRET_IN_DIRECTORY\n",
})) {
  mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
  writeFileSync(path.join(workspace, file), text);
}

/** What the search tools read of a job's context, under these forbidden rules. */
function context(forbidden: string[]): ToolContext {
  const config = parseAgentConfig({ paths: { forbidden } });
  return { workspace, config, paths: new PathPolicy(config.paths), redact: (text) => text } as ToolContext;
}

describe("the search tools", () => {
  // ripgrep cannot read the extglob, and the directory rule names only the directory for it.
  const rules = context(["**/@(creds|vault).json", "vault"]);

  it("never show a forbidden file's lines, whatever its path holds", async () => {
    const { output } = await searchFilesTool.run({ pattern: "SECRET" }, rules);
    expect(output).toBe("src/a.ts:1:const SECRET_NAME = 'not a secret';");
  });

  it("never list a forbidden file", async () => {
    const { output } = await listFilesTool.run({}, rules);
    expect(output).toBe("src/a.ts");
  });
});
