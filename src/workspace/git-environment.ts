import type { GitCredentials } from "../forge/forge.ts";

/**
 * Settings pinned for every git the app runs. They are passed as GIT_CONFIG_* variables, which git
 * ranks above every config file, so no `.git/config`, `.gitmodules` or nested repository the agent
 * could influence can turn them back on. Each one closes a way for git to run a program or reach
 * into a repository the app did not make: the workspace is hostile, the app's host is not.
 */
export const HARDENED_GIT_CONFIG: ReadonlyArray<readonly [key: string, value: string]> = [
  // Programs git would otherwise run from config: fsmonitor, hooks, pager, signing, credentials.
  ["core.fsmonitor", "false"],
  ["core.hooksPath", "/dev/null"],
  ["core.pager", "cat"],
  ["credential.helper", ""],
  ["commit.gpgSign", "false"],
  ["tag.gpgSign", "false"],
  ["core.attributesFile", "/dev/null"],
  // The untracked cache is data in the index that a hostile tree could shape; never trust it.
  ["core.untrackedCache", "false"],
  // Never step into an embedded repository (a gitlink): its own config would be read and run.
  ["submodule.recurse", "false"],
  ["diff.ignoreSubmodules", "all"],
  ["status.submoduleSummary", "false"],
  ["fetch.recurseSubmodules", "false"],
  ["push.recurseSubmodules", "no"],
  // Only the transports the app uses; `ext::` runs a command, ssh asks for keys.
  ["protocol.allow", "never"],
  ["protocol.https.allow", "always"],
  ["protocol.http.allow", "always"],
  ["protocol.file.allow", "always"],
  // A workspace borrows the mirror's objects (`clone --shared`): an automatic gc must never prune.
  ["gc.auto", "0"],
  ["maintenance.auto", "false"],
];

/**
 * Environment for the app's own git processes: no system or global config, the hardened settings
 * above, and, only when `credentials` are given (fetch and push), the credentials as an HTTP header
 * set through GIT_CONFIG_* variables: never in the remote URL, `.git/config`, a credential file or
 * argv. Local work (status, add, commit, diff) runs without them, so even a program git were
 * tricked into starting could not see the token.
 */
export function gitEnvironment(
  home: string,
  credentials?: GitCredentials | undefined,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    LANG: "C.UTF-8",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  const config: Array<readonly [string, string]> = [...HARDENED_GIT_CONFIG];
  if (credentials) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    config.push(["http.extraHeader", `Authorization: Basic ${basic}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  for (const [index, [key, value]] of config.entries()) {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  }
  return env;
}

/** The base64 form of the credentials, which must be redacted just like the token itself. */
export function credentialForms(credentials: GitCredentials | undefined): string[] {
  if (!credentials) return [];
  return [
    credentials.password,
    Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64"),
  ];
}
