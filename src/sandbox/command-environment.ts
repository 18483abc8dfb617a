import path from "node:path";

/** The host's system directories, in a login shell's order. */
export const SYSTEM_PATH_DIRS = [
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/sbin",
  "/usr/bin",
  "/sbin",
  "/bin",
] as const;

/** The directory of the Node.js running the app (so `node`/`npm` match it when nothing else is asked). */
export const APP_NODE_DIR = path.dirname(process.execPath);

/**
 * A command's PATH: the repository's declared toolchains first (a provisioned Node.js), then the
 * project's own tools (see link-project-tools.ts: only what setup created on the base tree, never
 * a name a system command has), then the app's Node.js and the system. No directory inside the
 * workspace is ever on it, so nothing the model writes can stand in for a command by its name.
 */
export function commandPath(options: { toolchains?: readonly string[]; projectTools?: string } = {}): string {
  return [
    ...(options.toolchains ?? []),
    ...(options.projectTools ? [options.projectTools] : []),
    APP_NODE_DIR,
    ...SYSTEM_PATH_DIRS,
  ].join(":");
}

/**
 * The whole environment an agent command gets. Built from an allowlist, never by copying
 * process.env and deleting secrets: a variable nobody thought of cannot leak. `extra` may set PATH
 * (see commandPath).
 */
export function commandEnvironment(options: {
  home: string;
  tmpDir: string;
  extra?: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  return {
    PATH: commandPath(),
    HOME: options.home,
    TMPDIR: options.tmpDir,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TERM: "dumb",
    CI: "true",
    NO_COLOR: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    npm_config_update_notifier: "false",
    ...options.extra,
  };
}
