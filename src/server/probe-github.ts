/** What the start-up probe found, as one log line. */
export interface ProbeOutcome {
  level: "info" | "warn";
  message: string;
}

/** The part of a Probot instance the probe needs: an Octokit authenticated as the app (JWT). */
export interface AppAuth {
  auth(): Promise<unknown>;
}

interface AppOctokit {
  request(route: string, options: object): Promise<{ data: { slug?: string; name?: string } }>;
}

/**
 * Asks GitHub who the app is (`GET /app`, authenticated with the app's JWT) once at start-up, with
 * a short timeout and no retries, so a wrong GHE_HOST, a DNS or proxy problem, or credentials that
 * do not belong together show up in the log within seconds, naming the host and the cause —
 * instead of minutes later, as a retried failure of the first webhook's job.
 */
export async function probeGitHub(app: AppAuth, host: string, timeoutMs = 5_000): Promise<ProbeOutcome> {
  try {
    const octokit = (await app.auth()) as AppOctokit;
    const { data } = await octokit.request("GET /app", {
      request: { retries: 0, signal: AbortSignal.timeout(timeoutMs) },
    });
    return {
      level: "info",
      message: `GitHub at ${host} answers: this is the app "${data.slug ?? data.name}".`,
    };
  } catch (error) {
    return {
      level: "warn",
      message: `GitHub at ${host} cannot be used: ${describeFailure(error, timeoutMs, host !== GITHUB_COM_API)}`,
    };
  }
}

/** The host when GHE_HOST is not set: advice about GHE_HOST would send the reader astray. */
const GITHUB_COM_API = "api.github.com";

function describeFailure(error: unknown, timeoutMs: number, gheHost: boolean): string {
  const status = (error as { status?: number }).status;
  const githubSays = (error as { response?: { data?: { message?: string } } }).response?.data?.message;
  if (status === 401 || status === 403 || status === 404) {
    const which = /integration not found/i.test(githubSays ?? "")
      ? "there is no app with this APP_ID"
      : /could not be decoded|signature|expir|issued at/i.test(githubSays ?? "")
        ? "the PRIVATE_KEY does not belong to this APP_ID (or the clock is off)"
        : "APP_ID and PRIVATE_KEY do not belong together";
    return `it refused the app's credentials (${status}${githubSays ? `: ${githubSays}` : ""}): ${which}. Compare APP_ID and the private key with the app's settings page on that host.`;
  }
  const causes = causeChain(error);
  const code = causes.map((cause) => (cause as { code?: string }).code).find(Boolean);
  if (
    causes.some((cause) => (cause as Error).name === "TimeoutError" || (cause as Error).name === "AbortError")
  ) {
    return `no answer within ${timeoutMs / 1_000} s (a firewall, ${gheHost ? "a proxy that is not set, or the wrong GHE_HOST" : "or a proxy that is not set"}).`;
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `the host name does not resolve (DNS: ${code}); check ${gheHost ? "GHE_HOST and " : ""}the machine's DNS.`;
  }
  if (code === "ECONNREFUSED")
    return `the connection was refused (ECONNREFUSED); check ${gheHost ? "GHE_HOST and its port" : "the machine's network and proxy settings"}.`;
  if (code?.startsWith("CERT_") || code?.includes("CERT") || code === "SELF_SIGNED_CERT_IN_CHAIN") {
    return `its TLS certificate is not trusted (${code}); set NODE_EXTRA_CA_CERTS to your CA file.`;
  }
  const last = causes.at(-1) as Error | undefined;
  return `${status ? `HTTP ${status}: ` : ""}${last?.message ?? String(error)}${code ? ` (${code})` : ""}.`;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 6; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}
