import { simpleGit, type SimpleGit } from "simple-git";

/**
 * simple-git refuses GIT_* variables by default because they can carry untrusted config. Here the
 * app builds that environment itself (see git-environment.ts), so exactly the variables it sets are
 * allowed, and only for the app's own git processes. The unsafe-config switches below are needed
 * because that environment pins exactly those keys to their safe values (see HARDENED_GIT_CONFIG).
 */
export function openGit(baseDir: string, env: Record<string, string>): SimpleGit {
  return simpleGit({
    baseDir,
    allowEnvironment: Object.keys(env).filter((key) => key.startsWith("GIT_")),
    unsafe: {
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeFsMonitor: true,
      allowUnsafeHooksPath: true,
      allowUnsafePager: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeProtocolOverride: true,
    },
  }).env(env);
}
