import type { Octokit } from "../forge/octokit.ts";
import merge from "deepmerge";
import { CONFIG_PATH } from "./agent-config.schema.ts";

/**
 * `.github/agent.yml` from the repository's default branch, falling back to the owner's `.github`
 * repository and following `_extends`, exactly as Probot's `context.config` does: null when no file
 * exists. Used outside a webhook's context, by the intake stage.
 */
export async function fetchRepoConfig(
  octokit: Octokit,
  repo: { owner: string; repo: string },
): Promise<unknown> {
  const { config, files } = await octokit.config.get({
    ...repo,
    path: CONFIG_PATH,
    defaults: (configs: Array<Record<string, unknown>>) =>
      merge.all<Record<string, unknown>>([{}, ...configs]),
  });
  return files.some((file) => file.config !== null) ? config : null;
}
