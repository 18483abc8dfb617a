import { execFile, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { lstat, mkdir, realpath, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { listWorkspaceEntries } from "../guardrails/paths/list-workspace-entries.ts";
import { parentOf, type PathPolicy } from "../guardrails/paths/path-policy.ts";
import { bubblewrapArguments, type SandboxLayout } from "./bubblewrap-arguments.ts";
import { commandEnvironment } from "./command-environment.ts";
import { APP_ROOT, hostPrivatePaths, pathsToCover } from "./host-private-paths.ts";
import { createCommandCgroup } from "./create-command-cgroup.ts";
import { DEFAULT_LIMITS, describeLimitHit, limitsPrelude, type ResourceLimits } from "./resource-limits.ts";
import { runCapped } from "./run-capped.ts";
import type { CommandRequest, CommandResult, Sandbox, SandboxAccess } from "./sandbox.ts";
import { connectNamespace, inNetworkNamespace, SLIRP_RESOLV_CONF } from "./slirp-network.ts";
import { succeeded } from "../succeeded.ts";

/** `sh -c` script: writes its pid into each of the first $1 files, then runs the rest. */
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';
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
    const limits = this.options.limits ?? DEFAULT_LIMITS;
    const outside = [...(access.writableDirs ?? []), ...(access.readOnlyDirs ?? [])];
    await Promise.all([home, ...outside].map((dir) => mkdir(dir, { recursive: true })));
    const layout = await this.layout(home, limits);
    const unhidable = await firstMissing(
      layout.hidden.filter((entry) => entry.path.startsWith(`${layout.workspace}/`)),
    );
    if (unhidable) {
      // A name that is not valid UTF-8 reaches the app with U+FFFD in place of its odd bytes: no
      // such path exists, so bwrap would cover nothing (and make an empty file beside the real one).
      return {
        exitCode: 126,
        output: `[sandbox: not run: the forbidden file ${JSON.stringify(path.relative(layout.workspace, unhidable))} cannot be hidden (is its name valid UTF-8?); no command runs while it is in the workspace]\n`,
        timedOut: false,
        omittedBytes: 0,
        durationMs: 0,
      };
    }
    const cgroup = createCommandCgroup(limits);
    const stopped = new AbortController();
    const overLimit = () => !!cgroup && (cgroup.processLimitHit() || cgroup.memoryLimitHit());
    const watch = cgroup && setInterval(() => overLimit() && stopped.abort(), 200);
    let disconnect: (() => void) | undefined;
    const sandboxed = ["bwrap", ...bubblewrapArguments(layout, request.command)];
    const program = layout.network ? inNetworkNamespace(sandboxed) : sandboxed;
    try {
      const result = await runCapped({
        // Joins the cgroups before anything else starts, so every process of the command is counted.
        ...(cgroup
          ? {
              file: "sh",
              args: [
                "-c",
                JOIN_CGROUPS,
                "sh",
                String(cgroup.procsFiles.length),
                ...cgroup.procsFiles,
                ...program,
              ],
            }
          : { file: program[0]!, args: program.slice(1) }),
        cwd: layout.workspace,
        env: commandEnvironment({ home, tmpDir: "/tmp", extra: access.environment }),
        timeoutMs: request.timeoutMs,
        maxOutputBytes: request.maxOutputBytes,
        signal: request.signal ? AbortSignal.any([request.signal, stopped.signal]) : stopped.signal,
        ...(layout.network && {
          extraPipes: 1,
          // Each wrapper execs the next, so the spawned pid is the one that holds the namespace.
          onSpawn: async (child: ChildProcess) => {
            disconnect = await connectNamespace(child.pid!).catch((error: unknown) => {
              throw new Error(
                `[sandbox: the command's network could not be set up (${error instanceof Error ? error.message : String(error)}). The network of setup and of \`sandbox.network: true\` needs slirp4netns and iproute2 on the app host (Debian: \`apt-get install slirp4netns iproute2\`); or set \`setup.network: false\`.]`,
              );
            });
            (child.stdio[3] as NodeJS.WritableStream).write("go\n");
          },
        }),
      });
      const hit = describeLimitHit(result, limits, {
        processes: cgroup?.processLimitHit() ?? false,
        memory: cgroup?.memoryLimitHit() ?? false,
      });
      return hit ? { ...result, output: `${result.output}\n[sandbox: ${hit}]\n` } : result;
    } finally {
      if (watch) clearInterval(watch);
      disconnect?.();
      await cgroup?.remove();
    }
  }

  private async layout(home: string, limits: ResourceLimits): Promise<SandboxLayout> {
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
    // The directories a hidden path is in, each mounted on itself: a mount point cannot be renamed
    // or removed, so no command can move a forbidden path out from under the rule that names it
    // (with `deploy/prod.yml` forbidden, `mv deploy d2` showed `d2/prod.yml` to the next command).
    const pinned = new Set<string>();
    const entries = await listWorkspaceEntries(workspace, (entry) => policy.isForbidden(entry.relative));
    for (const entry of entries) {
      // bwrap follows links in a mount's source and destination, with the app's rights (root's,
      // when it runs as root): a link is never mounted on. Its rule applies to what it points to in
      // the workspace, which is listed and judged under its own name as well.
      const target = entry.isSymbolicLink ? await linkTarget(workspace, entry.relative) : entry;
      if (!target) continue;
      const absolute = path.join(workspace, target.relative);
      if (policy.isForbidden(entry.relative)) {
        // Once each: a link's target may be named by a rule of its own too.
        if (!hidden.some((other) => other.path === absolute))
          hidden.push({ path: absolute, isDirectory: target.isDirectory });
        for (let dir = parentOf(target.relative); dir !== "" && !pinned.has(dir); dir = parentOf(dir))
          pinned.add(dir);
      }
      // A read-only directory's mount covers what is in it: one mount, not one per file.
      else if (
        policy.isReadOnly(entry.relative) &&
        (entry.isSymbolicLink || !policy.isReadOnly(parentOf(entry.relative)))
      )
        readOnly.push(absolute);
    }
    const system = systemLayout();
    const network = this.options.access.network && { resolvConf: await this.resolvConf() };
    const privatePaths = hostPrivatePaths({
      appRoot: this.options.appRoot ?? APP_ROOT,
      cwd: process.cwd(),
      env: process.env,
      extra: this.options.privatePaths,
    });
    return {
      workspace,
      home,
      writable: [...(this.options.access.writableDirs ?? [])],
      systemDirs: system.systemDirs,
      systemLinks: system.systemLinks,
      // Outer directories first: a later mount of a directory hides the mounts made inside it.
      // (A read-only directory's mount comes after these; nothing in it can be renamed anyway.)
      pinned: [...pinned].sort((a, b) => a.length - b.length).map((dir) => path.join(workspace, dir)),
      readOnly,
      hidden: [
        ...system.hidden,
        // Hide files inside a hidden directory only once: the directory's tmpfs already covers them.
        ...hidden.filter(
          (entry) => !hidden.some((dir) => dir.isDirectory && entry.path.startsWith(`${dir.path}/`)),
        ),
      ],
      gitDir: gitView?.gitDir,
      covered: pathsToCover(privatePaths, system.systemDirs),
      user: sandboxUser(),
      tmpBytes: limits.tmpSizeMb * 1024 * 1024,
      prelude: limitsPrelude(limits),
      network,
    };
  }

  private async resolvConf(): Promise<string> {
    const file = path.join(this.options.scratch, "resolv.conf");
    await writeFile(file, SLIRP_RESOLV_CONF);
    return file;
  }
}

/**
 * What the link at `relative` points to, when that is in the workspace (not the workspace itself,
 * not its `.git`): by its real path, which has no link in it while no command runs.
 */
async function linkTarget(
  workspace: string,
  relative: string,
): Promise<{ relative: string; isDirectory: boolean } | undefined> {
  const real = await realpath(path.join(workspace, relative)).catch(() => undefined);
  if (!real) return undefined;
  const inside = path.relative(workspace, real).split(path.sep).join("/");
  if (inside === "" || inside === ".." || inside.startsWith("../") || path.isAbsolute(inside))
    return undefined;
  if (inside === ".git" || inside.startsWith(".git/")) return undefined;
  return { relative: inside, isDirectory: (await stat(real)).isDirectory() };
}

/**
 * The user commands run as: the app's own uid when it is not root, else 1000. Either way it is an
 * ordinary user inside a user namespace that maps only the app's uid, without capabilities.
 */
function sandboxUser(): SandboxLayout["user"] {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  return uid === 0 ? { uid: 1000, gid: 1000 } : { uid, gid };
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
  /** `sandbox.max_*` of the repository; defaults apply without. */
  limits?: ResourceLimits | undefined;
  /** The app's directories never shown (all jobs' workspaces, the repository caches). */
  privatePaths?: readonly string[] | undefined;
  /** Where the app is installed; found from this file without. */
  appRoot?: string | undefined;
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
      "--unshare-user",
      "--cap-drop",
      "ALL",
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

/** The first path to hide that does not exist as named. */
async function firstMissing(hidden: SandboxLayout["hidden"]): Promise<string | undefined> {
  const found = await Promise.all(hidden.map((entry) => succeeded(lstat(entry.path))));
  return hidden[found.indexOf(false)]?.path;
}
