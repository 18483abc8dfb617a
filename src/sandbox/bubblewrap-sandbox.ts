import type { ChildProcess } from "node:child_process";
import { existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { chmod, lstat, mkdir, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PathPolicy } from "../guardrails/paths/path-policy.ts";
import { bubblewrapArguments, type SandboxLayout } from "./bubblewrap-arguments.ts";
import { commandEnvironment } from "./command-environment.ts";
import { APP_ROOT, hostPrivatePaths, pathsToCover } from "./host-private-paths.ts";
import { createCommandCgroup } from "./create-command-cgroup.ts";
import { KEYRING_FILTER } from "./keyring-filter.ts";
export { probeBubblewrap, type BubblewrapStatus } from "./probe-bubblewrap.ts";
import { workspaceMounts } from "./workspace-mounts.ts";
import { DEFAULT_LIMITS, describeLimitHit, limitsPrelude, type ResourceLimits } from "./resource-limits.ts";
import { runCapped } from "./run-capped.ts";
import type { CommandRequest, CommandResult, Sandbox, SandboxAccess } from "./sandbox.ts";
import { connectNamespace, inNetworkNamespace, SLIRP_RESOLV_CONF } from "./slirp-network.ts";

/** `sh -c` script: writes its pid into each of the first $1 files, then runs the rest. */
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';
const TOP_LEVEL_SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"];
/**
 * Readable by root, and the app may run as root: never shown to commands. The keyring's lists name
 * the keys of the uid the sandbox maps to (the keyring itself is refused: keyring-filter.ts).
 */
const HIDDEN_SYSTEM_PATHS = [
  "/etc/shadow",
  "/etc/gshadow",
  "/etc/shadow-",
  "/etc/gshadow-",
  "/etc/ssh",
  "/proc/keys",
  "/proc/key-users",
];

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
    await makeOutsideDirs(home, access);
    const layout = await this.layout(home, limits);
    const unmountable = await firstUnmountable(layout);
    if (unmountable) {
      // A name that is not valid UTF-8 reaches the app with U+FFFD in place of its odd bytes: such
      // a path names nothing (bwrap would cover nothing, and make an empty file beside the real
      // one) or another file, possibly a link, which bwrap would follow as the app.
      const named = JSON.stringify(path.relative(layout.workspace, unmountable.path));
      return {
        exitCode: 126,
        output: `[sandbox: not run: the ${unmountable.hidden ? "forbidden file" : "path"} ${named} cannot be ${unmountable.hidden ? "hidden" : "protected"} (is its name valid UTF-8?); no command runs while it is in the workspace]\n`,
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
        // On the fd after the network's pipe, when there is one (layout.seccompFd).
        inputs: [KEYRING_FILTER],
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
    const { policy, gitView, objectSource } = this.options;
    const mounts = await workspaceMounts(workspace, policy);
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
      // (A read-only directory's mount comes after the pinned ones; nothing in it can be renamed anyway.)
      pinned: mounts.pinned,
      readOnly: [
        // git in the sandbox must read the objects its repository borrows: the sanitized store of
        // the git view, or (without a view) the cache's mirror.
        ...(gitView ? [gitView.objectStore] : objectSource ? [objectSource] : []),
        ...(this.options.access.readOnlyDirs ?? []),
        ...mounts.readOnly,
      ],
      hidden: [...system.hidden, ...mounts.hidden],
      gitDir: gitView?.gitDir,
      covered: pathsToCover(privatePaths, system.systemDirs),
      user: sandboxUser(),
      tmpBytes: limits.tmpSizeMb * 1024 * 1024,
      prelude: limitsPrelude(limits),
      network,
      // fd 3 is the network's "go" pipe, when there is a network (see runCapped's inputs).
      seccompFd: network ? 4 : 3,
    };
  }

  private async resolvConf(): Promise<string> {
    const file = path.join(this.options.scratch, "resolv.conf");
    await writeFile(file, SLIRP_RESOLV_CONF);
    return file;
  }
}

/** The directories outside the workspace a command is shown, made if missing. */
async function makeOutsideDirs(home: string, access: SandboxAccess): Promise<void> {
  await Promise.all([home, ...(access.readOnlyDirs ?? [])].map((dir) => mkdir(dir, { recursive: true })));
  // What a command writes there outlives the job (the repository's package caches), and it
  // writes as the app's user, root's when the app runs as root: a set-user-ID file it leaves
  // must be out of other users' reach on the host.
  await Promise.all(
    (access.writableDirs ?? []).map(async (dir) => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
    }),
  );
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

/**
 * The first of the workspace's mount points that is not what the layout took it for: missing, a
 * link, or reached through one. bwrap follows links where it mounts, with the app's rights.
 */
async function firstUnmountable(
  layout: SandboxLayout,
): Promise<{ path: string; hidden: boolean } | undefined> {
  const inWorkspace = (file: string) => file.startsWith(`${layout.workspace}/`);
  const hidden = new Set(layout.hidden.map((entry) => entry.path).filter(inWorkspace));
  const points = [...hidden, ...layout.readOnly.filter(inWorkspace), ...layout.pinned];
  const sound = await Promise.all(
    points.map(async (point) => {
      const stats = await lstat(point).catch(() => undefined);
      return !!stats && !stats.isSymbolicLink() && (await realpath(point).catch(() => "")) === point;
    }),
  );
  const at = sound.indexOf(false);
  return at < 0 ? undefined : { path: points[at]!, hidden: hidden.has(points[at]!) };
}
