import os from "node:os";
import path from "node:path";
import type { AgentConfig } from "../../config/agent-config.schema.ts";
import { APP_NODE_DIR, SYSTEM_PATH_DIRS } from "../../sandbox/command-environment.ts";
import type { Sandbox, SandboxAccess } from "../../sandbox/sandbox.ts";
import type { Workspace } from "../workspace.ts";
import { linkProjectTools } from "./link-project-tools.ts";
import {
  prepareToolchains,
  protectedDirs,
  withToolchains,
  type PreparedToolchains,
} from "./prepare-toolchains.ts";
import { readBaseFiles } from "./read-base-files.ts";
import { readDeclaredToolchains, TOOLCHAIN_FILES } from "./read-declared-toolchains.ts";

/** How long fetching a Node.js from the registry may take. */
const PROVISION_TIMEOUT_MS = 5 * 60_000;

export interface JobToolchains {
  prepared: PreparedToolchains;
  /** A sandbox access with the toolchains (and, once linked, the project's tools) on PATH. */
  access<T extends SandboxAccess>(access: T): T;
  /** After setup, on the base tree: the project's own tools become reachable by name. */
  linkProjectTools(): Promise<string[]>;
}

/**
 * The job's toolchains, decided from the base branch's files and `toolchain:` before setup and
 * before any model call (see prepareToolchains); a declared version the app cannot provide throws
 * SetupFailed here.
 */
export async function setUpToolchains(options: {
  workspace: Pick<Workspace, "git" | "baseBranch" | "baseTree" | "scratch">;
  workspaceDir: string;
  config: AgentConfig;
  /** Where provisioned toolchains are kept, one directory per version; commands only read it. */
  cacheDir: string;
  /** What the operator passes setup (CA files, proxy): npm needs the same to reach the registry. */
  setupEnvironment: Readonly<Record<string, string>> | undefined;
  sandboxFor: (access: SandboxAccess) => Promise<Sandbox>;
  signal?: AbortSignal;
}): Promise<JobToolchains> {
  const base = await readBaseFiles(options.workspace, TOOLCHAIN_FILES);
  const declared = readDeclaredToolchains(base.read, options.config.toolchain);
  const prepared = await prepareToolchains({
    declared,
    rootFiles: base.files,
    cacheDir: options.cacheDir,
    provisionEnvironment: provisionEnvironment(options.cacheDir, options.setupEnvironment),
    sandboxFor: options.sandboxFor,
    cwd: options.workspaceDir,
    timeoutMs: PROVISION_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const shimDir = path.join(options.workspace.scratch, "project-tools");
  return {
    prepared,
    access: (access) => withToolchains(access, prepared.node, shimDir),
    linkProjectTools: () =>
      linkProjectTools({
        workspace: options.workspaceDir,
        shimDir,
        protectedDirs: protectedDirs(prepared.node),
      }),
  };
}

/** Where the app's host keeps the certificates it trusts: file names, which npm needs behind a TLS proxy. */
const TRUST_VARIABLES = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "npm_config_cafile"];

/**
 * npm's environment when it fetches a Node.js on the app's host: an allowlist (no token, no key of
 * the app's reaches it), the operator's HOME for their npmrc (registry, mirror), the host's trusted
 * certificates, and what setup gets (a proxy the operator named).
 */
function provisionEnvironment(
  cacheDir: string,
  setupEnvironment: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const trust = TRUST_VARIABLES.flatMap((name) => {
    const value = process.env[name];
    return value ? [[name, value] as const] : [];
  });
  return {
    PATH: [APP_NODE_DIR, ...SYSTEM_PATH_DIRS].join(":"),
    HOME: os.homedir(),
    LANG: "C.UTF-8",
    npm_config_cache: path.join(cacheDir, "npm-cache"),
    npm_config_update_notifier: "false",
    ...Object.fromEntries(trust),
    ...setupEnvironment,
  };
}

/** Where toolchains are kept unless the operator says: beside the user's other caches. */
export function defaultToolchainDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "issue-agent", "toolchains");
}
