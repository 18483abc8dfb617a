import type { Octokit } from "./octokit.ts";
import { mayStartWork } from "../triggers/may-start-work.ts";

/**
 * Whether `login` has write access to the repository, asked of the collaborator-permission API.
 * Someone who is no collaborator at all (the API answers 404) has none; other failures are thrown.
 */
export async function hasWriteAccess(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  login: string,
): Promise<boolean> {
  const permission = await octokit.rest.repos
    .getCollaboratorPermissionLevel({ ...repo, username: login })
    .then((response) => response.data)
    .catch((error: { status?: number }) => {
      if (error.status === 404) return undefined;
      throw error;
    });
  return mayStartWork(permission);
}
