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
  /** Paths to mount read-only: `paths.read_only` in the workspace, and the git object cache. */
  readOnly: string[];
  /**
   * Paths to hide: system secrets (/etc/shadow) and `paths.forbidden` in the workspace. Files become
   * empty, directories empty and read-only.
   */
  hidden: Array<{ path: string; isDirectory: boolean }>;
  network: boolean;
  /**
   * The sanitized repository shown as the workspace's `.git` (writable: it is not the one the app
   * delivers from). Without it the real `.git` is shown read-only.
   */
  gitDir?: string | undefined;
}

/**
 * The bubblewrap command line for one agent command. Pure, so the isolation can be read and tested
 * without running it: new session and PID namespace, dies with its parent, read-only system, a
 * private /tmp, the workspace writable but its .git read-only, forbidden paths invisible, no
 * network unless enabled.
 */
export function bubblewrapArguments(layout: SandboxLayout, command: string): string[] {
  const args = [
    "--die-with-parent",
    "--new-session",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(layout.network ? [] : ["--unshare-net"]),
    "--hostname",
    "sandbox",
  ];
  for (const dir of layout.systemDirs) args.push("--ro-bind", dir, dir);
  for (const link of layout.systemLinks) args.push("--symlink", link.target, link.path);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  args.push("--bind", layout.home, layout.home);
  for (const dir of layout.writable) args.push("--bind", dir, dir);
  args.push("--bind", layout.workspace, layout.workspace);
  const gitMount = path.join(layout.workspace, ".git");
  if (layout.gitDir) args.push("--bind", layout.gitDir, gitMount);
  else args.push("--ro-bind", gitMount, gitMount);
  for (const entry of layout.readOnly) args.push("--ro-bind", entry, entry);
  for (const entry of layout.hidden) {
    if (entry.isDirectory) args.push("--tmpfs", entry.path, "--remount-ro", entry.path);
    else args.push("--ro-bind", "/dev/null", entry.path);
  }
  args.push("--chdir", layout.workspace, "--", "bash", "-c", command);
  return args;
}
