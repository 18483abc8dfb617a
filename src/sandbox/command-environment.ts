import path from "node:path";

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The whole environment an agent command gets. Built from an allowlist, never by copying
 * process.env and deleting secrets: a variable nobody thought of cannot leak.
 */
export function commandEnvironment(options: {
  home: string;
  tmpDir: string;
  extra?: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  // The Node.js running the app is put first so `node`/`npm` in the workspace match it.
  const nodeDir = path.dirname(process.execPath);
  return {
    PATH: `${nodeDir}:${SYSTEM_PATH}`,
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
