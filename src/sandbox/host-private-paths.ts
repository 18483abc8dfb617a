import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory the app is installed in (the one holding its package.json), wherever that is. */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The app's own paths a command must never see: its install directory, its working directory (its
 * `.env`), its state database, and the roots of all jobs' workspaces and of the repository caches
 * (other jobs, other repositories' dependency caches). Most are outside what the sandbox shows; the
 * ones that are inside a shown system directory (an app installed under /usr/local or /opt) are
 * covered. Pure apart from reading the environment it is given.
 */
export function hostPrivatePaths(options: {
  appRoot: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Roots of jobs' workspaces and caches, as the app was configured. */
  extra?: readonly string[];
}): string[] {
  const { cwd, env } = options;
  const resolve = (file: string) => path.resolve(cwd, file);
  const database = resolve(env.ISSUE_AGENT_DB ?? ".issue-agent/state.db");
  return [
    options.appRoot,
    cwd,
    path.dirname(database),
    ...(env.ISSUE_AGENT_WORKDIR ? [resolve(env.ISSUE_AGENT_WORKDIR)] : []),
    ...(env.ISSUE_AGENT_CACHE_DIR ? [resolve(env.ISSUE_AGENT_CACHE_DIR)] : []),
    ...(env.PRIVATE_KEY_PATH ? [resolve(env.PRIVATE_KEY_PATH)] : []),
    ...(options.extra ?? []),
  ];
}

/**
 * Which of `privatePaths` to cover, given the directories shown: those inside a shown directory,
 * but never one that holds a shown directory itself (covering `/` or `/usr` would hide the
 * toolchains) — the job's own directories are mounted over the covers afterwards.
 */
export function pathsToCover(
  privatePaths: readonly string[],
  shown: readonly string[],
): Array<{ path: string; isDirectory: boolean }> {
  const inside = (child: string, dir: string) => child === dir || child.startsWith(`${dir}/`);
  const chosen = [...new Set(privatePaths.map((entry) => path.resolve(entry)))].filter(
    (entry) =>
      shown.some((dir) => inside(entry, dir)) &&
      !shown.some((dir) => inside(dir, entry)) &&
      existsSync(entry),
  );
  // A path inside another covered one is covered already.
  return chosen
    .filter((entry) => !chosen.some((other) => other !== entry && inside(entry, other)))
    .map((entry) => ({ path: entry, isDirectory: statSync(entry).isDirectory() }));
}
