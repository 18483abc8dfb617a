import type { Octokit } from "./octokit.ts";
import type { Probot } from "probot";

/**
 * The app's bot account as a git identity, so commits show the app as their author:
 * `<slug>[bot] <<bot-user-id>+<slug>[bot]@users.noreply.<host>>`. Looked up once per process.
 */
export function githubAppIdentity(app: Probot, noreplyHost: string) {
  let cached: Promise<{ name: string; email: string }> | undefined;
  return (installationOctokit: Octokit) => {
    cached ??= (async () => {
      const appOctokit = await app.auth();
      const { data: self } = await appOctokit.rest.apps.getAuthenticated();
      const login = `${self?.slug ?? "issue-agent"}[bot]`;
      const { data: user } = await installationOctokit.rest.users.getByUsername({ username: login });
      return { name: login, email: `${user.id}+${login}@users.noreply.${noreplyHost}` };
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
