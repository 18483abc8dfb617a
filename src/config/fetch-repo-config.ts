import { composeConfigGet } from "@probot/octokit-plugin-config";
import type { Octokit } from "../forge/octokit.ts";
import merge from "deepmerge";
import { UnusableConfig } from "../errors.ts";
import { CONFIG_PATH } from "./agent-config.schema.ts";
import { unparsableConfig } from "./unparsable-config.ts";

/**
 * `.github/agent.yml` from the repository's default branch, falling back to the owner's `.github`
 * repository and following `_extends`, with the reader Probot's `context.config` uses: null when
 * no file exists. Unlike Probot, an `_extends` base it cannot read is refused (refuseMissingBase).
 * Used outside a webhook's context, by the intake stage.
 *
 * The owner's file is asked for beside the repository's, not once the repository's is found
 * missing: a repository on the defaults (no file of its own, the usual case) then waits for one
 * round trip to GitHub instead of two before its job starts. The price is one request more, whose
 * answer goes unused, for a repository that has its own file.
 */
export async function fetchRepoConfig(
  octokit: Octokit,
  repo: { owner: string; repo: string },
): Promise<unknown> {
  const received: Received[] = [];
  const { config, files } = await composeConfigGet(withOwnerDefaultsEarly(octokit, repo, received), {
    ...repo,
    path: CONFIG_PATH,
    defaults: (configs: Array<Record<string, unknown>>) =>
      merge.all<Record<string, unknown>>([{}, ...configs]),
  }).catch((error: unknown) => {
    // The reader stops at a file that is not YAML, saying only that: the parser's own words say
    // where, and the repository's own file which label it meant.
    const own = (file: Received) => file.owner === repo.owner && file.repo === repo.repo;
    throw (
      unparsableConfig(
        received.map((file) => ({
          where: own(file) ? `\`${file.path}\`` : `\`${file.path}\` in ${file.owner}/${file.repo}`,
          text: file.text,
        })),
        received.find(own)?.text,
      ) ?? error
    );
  });
  refuseMissingBase(files, config);
  return files.some((file) => file.config !== null) ? config : null;
}

/**
 * A file that `_extends` a base the app cannot read (missing, or on a repository the app is not
 * installed on) would go on without the base's settings, as Probot's reader does: an
 * organisation's shared forbidden paths or deny rules silently gone. It is refused instead.
 */
function refuseMissingBase(
  files: ReadonlyArray<{ owner: string; repo: string; path: string; config: unknown }>,
  read: unknown,
) {
  const missing = files.findIndex(
    (file, index) => file.config === null && files.slice(0, index).some((earlier) => earlier.config !== null),
  );
  if (missing < 1) return;
  const [extending, base] = [files[missing - 1]!, files[missing]!];
  throw new UnusableConfig(
    `\`_extends\` in ${extending.owner}/${extending.repo}'s \`${extending.path}\` names \`${base.path}\` in ${base.owner}/${base.repo}, which does not exist or which the app cannot read.`,
    `Create that file, install the app on ${base.owner}/${base.repo} too, or correct \`_extends\`; no job starts without the settings it names.`,
    read,
  );
}

/** A file's text as the config reader received it. */
interface Received {
  owner: string;
  repo: string;
  path: string;
  text: string;
}

/** The request the config reader makes for the owner's `.github` repository (see getConfigFile). */
interface ContentsRequest {
  url?: string;
  owner?: string;
  repo?: string;
  path?: string;
  ref?: string;
}

const isOwnerDefaults = (request: ContentsRequest, owner: string) =>
  request.url === "/repos/{owner}/{repo}/contents/{path}" &&
  request.owner === owner &&
  request.repo === ".github" &&
  request.path === CONFIG_PATH &&
  request.ref === undefined;

/**
 * The client the config reader is given: its first request for the owner's defaults is answered
 * by one sent now, with the same parameters the reader would send; everything else goes out as
 * asked. (For the `.github` repository itself, that first request is its own file's.) The files'
 * texts the reader receives are added to `received`.
 */
function withOwnerDefaultsEarly(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  received: Received[],
): Octokit {
  const early = octokit.request({
    method: "GET",
    url: "/repos/{owner}/{repo}/contents/{path}",
    owner: repo.owner,
    repo: ".github",
    path: CONFIG_PATH,
    mediaType: { format: "raw" },
  });
  // Unused when the repository has its own file: its failure is then nobody's.
  early.catch(() => undefined);
  let served = false;
  const request = Object.assign(
    (route: ContentsRequest, parameters?: object) => {
      const earlyOne = !served && parameters === undefined && isOwnerDefaults(route, repo.owner);
      if (earlyOne) served = true;
      const answer = earlyOne ? early : octokit.request(route as never, parameters as never);
      return answer.then((response: { data: unknown }) => {
        if (typeof response.data === "string" && route.owner && route.repo && route.path)
          received.push({ owner: route.owner, repo: route.repo, path: route.path, text: response.data });
        return response;
      });
    },
    { endpoint: octokit.request.endpoint },
  );
  return { request } as unknown as Octokit;
}
