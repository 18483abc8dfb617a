import { simpleGit, type SimpleGit } from "simple-git";

/**
 * simple-git refuses GIT_* variables by default because they can carry untrusted config. Here the
 * app builds that environment itself (see git-environment.ts), so exactly the variables it sets are
 * allowed, and only for the app's own git processes.
 */
export function openGit(baseDir: string, env: Record<string, string>): SimpleGit {
  return simpleGit({
    baseDir,
    allowEnvironment: Object.keys(env).filter((key) => key.startsWith("GIT_")),
    unsafe: { allowUnsafeConfigPaths: true, allowUnsafeConfigEnvCount: true },
  }).env(env);
}
