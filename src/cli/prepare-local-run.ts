import { readFile } from "node:fs/promises";
import path from "node:path";
import { CONFIG_PATH, type AgentConfig } from "../config/agent-config.schema.ts";
import { loadRepoConfig, parseYamlConfig } from "../config/load-repo-config.ts";
import { ConfigError } from "../errors.ts";
import type { IssueThread } from "../forge/forge.ts";
import { loadSettings, type Settings } from "../settings.ts";
import { CannotStart } from "./cannot-start.ts";
import { findRepository } from "./find-repository.ts";
import { parseIssueArgument } from "./parse-issue-argument.ts";
import { probeModelEndpoint } from "./probe-model-endpoint.ts";

export interface LocalRunInput {
  repoPath: string;
  issue: IssueThread;
  config: AgentConfig;
  settings: Settings;
}

/**
 * Everything a local run needs, checked in the order a person would fix it: the repository, the
 * issue, the environment, the repository's config, then the model endpoint. Each failure is a
 * CannotStart raised before anything is cloned, installed or paid for.
 */
export async function prepareLocalRun(
  args: { repo: string; issue: string },
  env: NodeJS.ProcessEnv,
): Promise<LocalRunInput> {
  const repoPath = await findRepository(args.repo);
  const issue = await parseIssueArgument(args.issue);
  const settings = withoutConfigHint(() => loadSettings(env));
  const configText = await readFile(path.join(repoPath, CONFIG_PATH), "utf8").catch(() => undefined);
  const loaded = await loadRepoConfig(async () => parseYamlConfig(configText));
  // The config's own hint speaks of the default branch and GitHub; here the file is on disk.
  if (!loaded.ok)
    throw new CannotStart(`${loaded.error.message}\nFix ${path.join(repoPath, CONFIG_PATH)} and run again.`);
  if (!settings.OPENAI_API_KEY && !settings.OPENAI_BASE_URL) {
    throw new CannotStart(
      "OPENAI_API_KEY is not set (set it in the environment or .env; for a server that needs no key, set OPENAI_BASE_URL)",
    );
  }
  await probeModelEndpoint({ baseURL: settings.OPENAI_BASE_URL, apiKey: settings.OPENAI_API_KEY });
  return { repoPath, issue, config: loaded.config, settings };
}

/** Invalid variables, said without the app's "restart" advice. */
function withoutConfigHint<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw new CannotStart(`${error.message}\nFix them and run again.`);
    throw error;
  }
}
