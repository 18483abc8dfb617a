/**
 * GitHub's OAuth web flow for the App's own client (GITHUB_CLIENT_ID / GITHUB_CLIENT_SECRET), on
 * github.com or a GitHub Enterprise Server host, and the one question the job page asks with the
 * viewer's token: may they read the repository?
 */
export interface GitHubEndpoints {
  /** Where people sign in: https://github.com or https://<GHE host>. */
  web: string;
  /** The REST API root: https://api.github.com or https://<GHE host>/api/v3. */
  api: string;
}

export function endpointsFor(env: NodeJS.ProcessEnv): GitHubEndpoints {
  const host = env.GHE_HOST;
  if (!host) return { web: "https://github.com", api: "https://api.github.com" };
  const protocol = env.GHE_PROTOCOL ?? "https";
  return { web: `${protocol}://${host}`, api: `${protocol}://${host}/api/v3` };
}

export function authorizeUrl(
  endpoints: GitHubEndpoints,
  clientId: string,
  redirectUri: string,
  state: string,
): string {
  const url = new URL("/login/oauth/authorize", endpoints.web);
  url.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state }).toString();
  return url.toString();
}

export async function exchangeCode(
  endpoints: GitHubEndpoints,
  client: { id: string; secret: string },
  code: string,
  redirectUri: string,
): Promise<string> {
  const response = await fetch(new URL("/login/oauth/access_token", endpoints.web), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: client.id,
      client_secret: client.secret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.access_token !== "string") {
    throw new Error(
      `GitHub refused the sign-in (${typeof body.error === "string" ? body.error : response.status})`,
    );
  }
  return body.access_token;
}

async function api(endpoints: GitHubEndpoints, token: string, path: string): Promise<Response> {
  return fetch(`${endpoints.api}${path}`, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "user-agent": "issue-agent",
    },
  });
}

export async function viewerLogin(endpoints: GitHubEndpoints, token: string): Promise<string> {
  const response = await api(endpoints, token, "/user");
  const body = (await response.json().catch(() => ({}))) as { login?: unknown };
  if (!response.ok || typeof body.login !== "string")
    throw new Error(`GitHub did not say who signed in (${response.status})`);
  return body.login;
}

/** True when the viewer's own token can read the repository (GitHub answers 404 otherwise). */
export async function canRead(
  endpoints: GitHubEndpoints,
  token: string,
  repository: string,
): Promise<boolean> {
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) return false;
  const response = await api(
    endpoints,
    token,
    `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
  );
  // Read to the end, not cancelled: the answer is small, and a finished body lets the connection be
  // reused (and nock's https interception leaves a stale OpenSSL error behind a cancelled one, which
  // the next JWT signing in the same process then reports as its own).
  await response.arrayBuffer();
  return response.ok;
}
