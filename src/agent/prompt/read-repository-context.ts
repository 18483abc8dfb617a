import type { RepositoryContext } from "./repository-context.ts";
import { isInstructionFile } from "./repository-context.ts";
import type { AgentConfig } from "../../config/agent-config.schema.ts";
import type { Workspace } from "../../workspace/workspace.ts";

const MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;

/**
 * Reads the conventions and the file list from the default branch as fetched (never from the
 * working tree, which a follow-up job starts on the agent's own branch).
 */
export async function readRepositoryContext(
  workspace: Workspace,
  config: AgentConfig,
  setupCommands: readonly string[],
): Promise<RepositoryContext> {
  const base = `refs/heads/${workspace.baseBranch}`;
  const trackedFiles = (await workspace.baseTree()).map((entry) => entry.path);
  const instructionFiles: RepositoryContext["instructionFiles"] = [];
  for (const path of trackedFiles.filter(isInstructionFile)) {
    const text = await workspace.git.raw(["show", `${base}:${path}`]).catch(() => "");
    if (text) instructionFiles.push({ path, text: text.slice(0, MAX_INSTRUCTION_FILE_BYTES) });
  }
  return {
    instructionFiles,
    configInstructions: config.instructions,
    trackedFiles,
    testCommand: config.gates.tests.command,
    lintCommands: config.gates.lint,
    setupCommands: [...setupCommands],
    network: config.sandbox.network,
  };
}
