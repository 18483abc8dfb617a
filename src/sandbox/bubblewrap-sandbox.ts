import { execFile } from "node:child_process";
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { listWorkspaceEntries } from "../guardrails/paths/list-workspace-entries.ts";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { bubblewrapArguments, type SandboxLayout } from "./bubblewrap-arguments.ts";
import { commandEnvironment } from "./command-environment.ts";
import { runCapped } from "./run-capped.ts";
import type { CommandRequest, CommandResult, Sandbox, SandboxAccess } from "./sandbox.ts";

const TOP_LEVEL_SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"];
/** Readable by root, and the app may run as root: never shown to commands. */
const HIDDEN_SYSTEM_PATHS = ["/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/ssh"];

/**
 * Runs every agent command inside bubblewrap. The layout is rebuilt for each command so that
 * forbidden and read-only globs also cover files created since the last one.
 */
export class BubblewrapSandbox implements Sandbox {
  readonly isolated = true;
  private readonly options: SandboxOptions;

  constructor(options: SandboxOptions) {
    this.options = options;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const home = path.join(this.options.scratch, "home");
    const { access } = this.options;
    const outside = [...(access.writableDirs ?? []), ...(access.readOnlyDirs ?? [])];
    await Promise.all([home, ...outside].map((dir) => mkdir(dir, { recursive: true })));
    const layout = await this.layout(home);
    return runCapped({
      file: "bwrap",
      args: bubblewrapArguments(layout, request.command),
      cwd: layout.workspace,
      env: commandEnvironment({ home, tmpDir: "/tmp", extra: access.environment }),
      timeoutMs: request.timeoutMs,
      maxOutputBytes: request.maxOutputBytes,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }

  private async layout(home: string): Promise<SandboxLayout> {
    const workspace = await realpath(this.options.workspace);
    const { policy } = this.options;
    const hidden: SandboxLayout["hidden"] = [];
    // git in the sandbox must read the objects its repository borrows: the sanitized store of the
    // git view, or (without a view) the cache's mirror.
    const { gitView, objectSource } = this.options;
    const readOnly: string[] = [
      ...(gitView ? [gitView.objectStore] : objectSource ? [objectSource] : []),
      ...(this.options.access.readOnlyDirs ?? []),
    ];
    const entries = await listWorkspaceEntries(workspace, (entry) => policy.isForbidden(entry.relative));
    for (const entry of entries) {
      const absolute = path.join(workspace, entry.relative);
      if (policy.isForbidden(entry.relative)) hidden.push({ path: absolute, isDirectory: entry.isDirectory });
      else if (policy.isReadOnly(entry.relative)) readOnly.push(absolute);
    }
    const system = systemLayout();
    return {
      workspace,
      home,
      writable: [...(this.options.access.writableDirs ?? [])],
      systemDirs: system.systemDirs,
      systemLinks: system.systemLinks,
      readOnly,
      hidden: [
        ...system.hidden,
        // Hide files inside a hidden directory only once: the directory's tmpfs already covers them.
        ...hidden.filter(
          (entry) => !hidden.some((dir) => dir.isDirectory && entry.path.startsWith(`${dir.path}/`)),
        ),
      ],
      network: this.options.access.network,
      gitDir: gitView?.gitDir,
    };
  }
}

interface SandboxOptions {
  workspace: string;
  scratch: string;
  access: SandboxAccess;
  policy: PathPolicy;
  /** The repository cache's mirror, shown read-only when there is no git view. */
  objectSource?: string | undefined;
  /** The sanitized repository commands see as `.git` (see prepareGitView), and its object store. */
  gitView?: { gitDir: string; objectStore: string } | undefined;
}

let cachedSystem:
  (Pick<SandboxLayout, "systemDirs" | "systemLinks"> & { hidden: SandboxLayout["hidden"] }) | undefined;

/** Host directories commands need (system, and the Node runtime the app runs on), read-only. */
function systemLayout() {
  if (cachedSystem) return cachedSystem;
  const systemDirs: string[] = [];
  const systemLinks: SandboxLayout["systemLinks"] = [];
  for (const dir of TOP_LEVEL_SYSTEM) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) systemLinks.push({ path: dir, target: readlinkSync(dir) });
    else systemDirs.push(dir);
  }
  const nodePrefix = path.dirname(path.dirname(process.execPath));
  if (!systemDirs.some((dir) => nodePrefix === dir || nodePrefix.startsWith(`${dir}/`)))
    systemDirs.push(nodePrefix);
  const hidden = HIDDEN_SYSTEM_PATHS.filter((file) => existsSync(file)).map((file) => ({
    path: file,
    isDirectory: statSync(file).isDirectory(),
  }));
  cachedSystem = { systemDirs, systemLinks, hidden };
  return cachedSystem;
}

export type BubblewrapStatus = { available: true } | { available: false; reason: string };

let probe: Promise<BubblewrapStatus> | undefined;

/** Whether bubblewrap can create its namespaces here (it may be missing, or forbidden in a container). */
export function probeBubblewrap(): Promise<BubblewrapStatus> {
  probe ??= promisify(execFile)(
    "bwrap",
    [
      "--die-with-parent",
      "--unshare-pid",
      "--unshare-net",
      "--ro-bind",
      "/",
      "/",
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "true",
    ],
    { timeout: 10_000 },
  ).then(
    (): BubblewrapStatus => ({ available: true }),
    (error: NodeJS.ErrnoException & { stderr?: string }): BubblewrapStatus => ({
      available: false,
      reason:
        error.code === "ENOENT"
          ? "bubblewrap (`bwrap`) is not installed on the app host"
          : `bubblewrap cannot create its sandbox here: ${(error.stderr ?? error.message).trim()}`,
    }),
  );
  return probe;
}
