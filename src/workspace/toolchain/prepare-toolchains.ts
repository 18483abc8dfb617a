import semver from "semver";
import { SetupFailed } from "../../errors.ts";
import { APP_NODE_DIR, commandPath, SYSTEM_PATH_DIRS } from "../../sandbox/command-environment.ts";
import type { Sandbox, SandboxAccess } from "../../sandbox/sandbox.ts";
import { nodeRange } from "./node-version-range.ts";
import { provisionNode, type NodeToolchain } from "./provision-node.ts";
import { probeToolchains, type Probed } from "./probe-toolchains.ts";
import type { DeclaredToolchains } from "./read-declared-toolchains.ts";
import { checkDeclared, type ToolchainUse } from "./check-declared.ts";

/** What the job's commands run with, and what the check run and the PR body say about it. */
export interface PreparedToolchains {
  /** A provisioned Node.js, put first on PATH and shown read-only; none: the app's own. */
  node: NodeToolchain | undefined;
  /** One line per language the repository uses or declares. */
  used: ToolchainUse[];
  packageManager: DeclaredToolchains["packageManager"];
}

const NOTHING_SPENT = "The agent was not started, so no model tokens were spent.";

/**
 * 1. Node.js: the app's own when it satisfies what the repository declares, otherwise the
 *    newest satisfying version, provisioned into the toolchain cache (see provisionNode).
 * 2. Every toolchain the repository uses or declares is asked its version inside the sandbox, as
 *    the commands will see it; a declared version it does not serve stops the job here, before any
 *    model call, saying what was declared where and what the sandbox has.
 */
export async function prepareToolchains(options: {
  declared: DeclaredToolchains;
  /** Root file names of the base branch: which ecosystems the repository uses. */
  rootFiles: ReadonlySet<string>;
  cacheDir: string;
  /** npm's environment for provisioning (PATH, HOME, the operator's CA/proxy); never a token. */
  provisionEnvironment: Record<string, string>;
  /** A sandbox for the probes, given what the toolchains add to its access. */
  sandboxFor: (access: SandboxAccess) => Promise<Sandbox>;
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<PreparedToolchains> {
  const node = await chooseNode(options);
  const sandbox = await options.sandboxFor(withToolchains({ network: false }, node));
  const probed: Probed = await probeToolchains({
    sandbox,
    cwd: options.cwd,
    declared: options.declared,
    rootFiles: options.rootFiles,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { used, problems } = checkDeclared(options.declared, probed);
  if (problems.length > 0) {
    throw new SetupFailed(
      `The repository declares toolchain versions this app cannot provide:\n\n${problems.map((line) => `- ${line}`).join("\n")}`,
      `Run the app on an image that has them (the Dockerfile's \`full\` target has Python, Go, Rust and Java from Debian), or pin \`toolchain:\` in \`.github/agent.yml\` to versions the app has. ${NOTHING_SPENT}`,
    );
  }
  return { node, used, packageManager: options.declared.packageManager };
}

/**
 * A sandbox's access with the toolchains added: the provisioned Node.js and the project's tool
 * launchers shown read-only, and the PATH that finds them first (see commandPath).
 */
export function withToolchains<T extends SandboxAccess>(
  access: T,
  node: NodeToolchain | undefined,
  projectTools?: string,
): T {
  const dirs = [...(node ? [node.root] : []), ...(projectTools ? [projectTools] : [])];
  return {
    ...access,
    readOnlyDirs: [...(access.readOnlyDirs ?? []), ...dirs],
    environment: {
      ...access.environment,
      PATH: commandPath({ toolchains: node ? [node.binDir] : [], ...(projectTools ? { projectTools } : {}) }),
      // The go command would otherwise fetch a newer toolchain for a go.mod that asks for one: a
      // version nobody checked, and with the network only during setup.
      GOTOOLCHAIN: "local",
      COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
    },
  };
}

/** Directories whose command names no project tool may take (see linkProjectTools). */
export function protectedDirs(node: NodeToolchain | undefined): string[] {
  return [...(node ? [node.binDir] : []), APP_NODE_DIR, ...SYSTEM_PATH_DIRS];
}

async function chooseNode(
  options: Parameters<typeof prepareToolchains>[0],
): Promise<NodeToolchain | undefined> {
  const declared = options.declared.node;
  if (!declared) return undefined;
  const range = nodeRange(declared.version);
  if (range.kind === "invalid") {
    throw new SetupFailed(
      `${declared.source} asks for Node.js \`${declared.version}\`, which is not a version or a version range.`,
      `Write a version such as \`22\`, \`>=20\` or \`lts/*\` there, or pin \`toolchain.node\` in \`.github/agent.yml\`. ${NOTHING_SPENT}`,
    );
  }
  if (range.kind === "range" && semver.satisfies(process.versions.node, range.range)) return undefined;
  const node = await provisionNode({
    cacheDir: options.cacheDir,
    range,
    environment: options.provisionEnvironment,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  }).catch((error: unknown) => {
    throw new SetupFailed(
      `Node.js \`${declared.version}\` (${declared.source}) could not be provisioned from the npm registry: ${error instanceof Error ? error.message : String(error)}`,
      `Check that the app's host reaches the npm registry (a proxy or CA goes in ISSUE_AGENT_SETUP_ENV), then retry. ${NOTHING_SPENT}`,
      { retryable: true },
    );
  });
  if (!node) {
    throw new SetupFailed(
      `${declared.source} asks for Node.js \`${declared.version}\`, and no published Node.js satisfies it.`,
      `Fix the version there, or pin \`toolchain.node\` in \`.github/agent.yml\`. ${NOTHING_SPENT}`,
    );
  }
  return node;
}
