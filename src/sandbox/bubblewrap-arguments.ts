import path from "node:path";

export interface SandboxLayout {
  /** The repository working tree: writable, except `.git`. */
  workspace: string;
  /** HOME for the command, outside the workspace: writable, removed with the job. */
  home: string;
  /** Other writable directories outside the workspace (the dependency cache, during setup). */
  writable: string[];
  /** Host directories to show read-only (system and language runtimes). */
  systemDirs: string[];
  /** Top-level links such as /bin → usr/bin on merged-/usr systems. */
  systemLinks: Array<{ path: string; target: string }>;
  /** Directories in the workspace that hold a hidden path: mounted on themselves, so they stay put. */
  pinned: string[];
  /** Paths to mount read-only: `paths.read_only` in the workspace, and the git object cache. */
  readOnly: string[];
  /**
   * Paths to hide: system secrets (/etc/shadow) and `paths.forbidden` in the workspace. Files become
   * empty, directories empty and read-only.
   */
  hidden: Array<{ path: string; isDirectory: boolean }>;
  /**
   * The app's own paths that lie inside a shown system directory (its install directory, `.env`,
   * state database, other jobs' workspaces, other repositories' caches): covered before the job's
   * own directories are mounted, so the job's directories may sit inside them.
   */
  covered: Array<{ path: string; isDirectory: boolean }>;
  /** The unprivileged user the command runs as, in its own user namespace without capabilities. */
  user: { uid: number; gid: number };
  /** Size of the private /tmp. */
  tmpBytes: number;
  /** Shell lines run before the command inside the sandbox (resource limits). */
  prelude: string;
  /**
   * False: a network namespace with loopback only. Otherwise bwrap runs inside a network namespace
   * prepared for it (slirp4netns, see `slirp-network.ts`) and `resolvConf` replaces /etc/resolv.conf.
   */
  network: false | { resolvConf: string };
  /**
   * The sanitized repository shown as the workspace's `.git` (writable: it is not the one the app
   * delivers from). Without it the real `.git` is shown read-only.
   */
  gitDir?: string | undefined;
  /** The fd bwrap reads its seccomp filter from (see keyring-filter.ts). */
  seccompFd: number;
}

/**
 * The bubblewrap command line for one agent command. Pure, so the isolation can be read and tested
 * without running it: a user namespace with every capability dropped (so even when the app runs as
 * root, nothing in the sandbox can unmount, remount or mount over what is shown), a PID namespace
 * that dies with its parent, read-only system, a size-limited private /tmp, the workspace
 * writable but its .git read-only, forbidden paths invisible, and a network namespace of its own.
 */
export function bubblewrapArguments(layout: SandboxLayout, command: string): string[] {
  const args = [
    "--die-with-parent",
    // No --new-session: the sandbox stays in the process group of the program the app spawned, so
    // a stop's group kill reaches its init at every moment. bwrap sets the die-with-parent signal
    // only once the sandbox is laid out; an init in a session of its own outlived a stop that came
    // before that, and its command ran to the end. The spawned program is itself a new session
    // (runCapped), so nothing in the sandbox has a controlling terminal to inject input into.
    "--unshare-user",
    "--disable-userns",
    "--uid",
    String(layout.user.uid),
    "--gid",
    String(layout.user.gid),
    "--cap-drop",
    "ALL",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(layout.network ? [] : ["--unshare-net"]),
    "--hostname",
    "sandbox",
    "--seccomp",
    String(layout.seccompFd),
  ];
  for (const dir of layout.systemDirs) args.push("--ro-bind", dir, dir);
  for (const link of layout.systemLinks) args.push("--symlink", link.target, link.path);
  // Covered directories become read-only last: the job's own directories are mounted inside them.
  for (const entry of layout.covered)
    args.push(...(entry.isDirectory ? ["--perms", "0555", "--tmpfs", entry.path] : cover(entry)));
  if (layout.network) args.push("--ro-bind", layout.network.resolvConf, "/etc/resolv.conf");
  args.push("--proc", "/proc", "--dev", "/dev", "--size", String(layout.tmpBytes), "--tmpfs", "/tmp");
  args.push("--bind", layout.home, layout.home);
  for (const dir of layout.writable) args.push("--bind", dir, dir);
  args.push("--bind", layout.workspace, layout.workspace);
  const gitMount = path.join(layout.workspace, ".git");
  if (layout.gitDir) args.push("--bind", layout.gitDir, gitMount);
  else args.push("--ro-bind", gitMount, gitMount);
  for (const dir of layout.pinned) args.push("--bind", dir, dir);
  for (const entry of layout.readOnly) args.push("--ro-bind", entry, entry);
  for (const entry of layout.hidden) args.push(...cover(entry));
  for (const entry of layout.covered) if (entry.isDirectory) args.push("--remount-ro", entry.path);
  // The command is an argument of its own, never spliced into the prelude's text.
  args.push(
    "--chdir",
    layout.workspace,
    "--",
    "bash",
    "-c",
    `${layout.prelude}\nexec bash -c "$1"`,
    "bash",
    command,
  );
  return args;
}

/** An empty read-only directory, or an empty file, in place of `entry`. */
function cover(entry: { path: string; isDirectory: boolean }): string[] {
  return entry.isDirectory
    ? ["--tmpfs", entry.path, "--remount-ro", entry.path]
    : ["--ro-bind", "/dev/null", entry.path];
}
