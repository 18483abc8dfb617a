import type { IncomingMessage, ServerResponse } from "node:http";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";
import { canRead, endpointsFor, type GitHubEndpoints } from "./github-oauth.ts";
import { LIVE_SCRIPT_PATH, LIVE_UPDATE_SCRIPT } from "./live-update-script.ts";
import { renderJobList, renderJobPage } from "./render-job-page.ts";
import { sendMessage, sendNotFound, sendPage, sendScript } from "./respond.ts";
import { SignInFlow } from "./sign-in-flow.ts";

const RECENT_JOBS = 50;

export interface JobPageConfig {
  /** The app's public base URL, e.g. https://agent.example.com: links and the OAuth callback. */
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  /** Seals the session cookie; a dedicated secret, or the webhook secret. */
  sessionSecret: string;
  endpoints: GitHubEndpoints;
}

/** The page's settings, or undefined when it is off (without OAuth credentials it is never served). */
export function jobPageConfig(
  env: NodeJS.ProcessEnv,
  publicUrl: string | undefined,
): JobPageConfig | undefined {
  const sessionSecret = env.ISSUE_AGENT_SESSION_SECRET || env.WEBHOOK_SECRET;
  if (!publicUrl || !env.GITHUB_CLIENT_ID || !env.GITHUB_CLIENT_SECRET || !sessionSecret) return undefined;
  return {
    publicUrl: publicUrl.replace(/\/+$/, ""),
    clientId: env.GITHUB_CLIENT_ID,
    clientSecret: env.GITHUB_CLIENT_SECRET,
    sessionSecret,
    endpoints: endpointsFor(env),
  };
}

export function jobPageUrl(config: Pick<JobPageConfig, "publicUrl">, jobId: string): string {
  return `${config.publicUrl}/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * `GET /jobs/<id>` (a job's page) and `GET /repos/<owner>/<repo>/jobs` (a repository's recent jobs),
 * for people signed in with GitHub who may read the repository; `/auth/callback` ends the sign-in.
 * Anyone else gets no content: an anonymous visitor is sent to sign in, a viewer without access
 * gets the same 404 as for a job that does not exist. The live-update script is public: it is the
 * same static file for everyone and holds nothing about any job.
 */
export function jobPageHandler(options: { config: JobPageConfig; store: TrajectoryStore }) {
  const { config, store } = options;
  const signIn = new SignInFlow(config);

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === LIVE_SCRIPT_PATH) {
      sendScript(res, LIVE_UPDATE_SCRIPT);
      return true;
    }
    if (url.pathname === "/auth/callback") {
      await signIn
        .finish(req, res, url)
        .catch(() =>
          sendMessage(res, 502, "Sign-in failed", "GitHub did not complete the sign-in. Try again."),
        );
      return true;
    }
    const job = /^\/jobs\/([\w-]{1,100})$/.exec(url.pathname);
    const list = /^\/repos\/([\w.-]{1,100})\/([\w.-]{1,100})\/jobs$/.exec(url.pathname);
    if (!job && !list) return false;
    const session = signIn.session(req);
    if (!session) {
      signIn.start(res, url.pathname);
      return true;
    }
    const repository = list ? `${list[1]}/${list[2]}`.toLowerCase() : undefined;
    const trajectory = job ? await store.getTrajectory(job[1]!) : undefined;
    const subject = repository ?? trajectory?.repository;
    if (!subject || !(await canRead(config.endpoints, session.token, subject).catch(() => false))) {
      sendNotFound(res);
    } else if (trajectory) {
      sendPage(res, 200, (nonce) => renderJobPage(trajectory, nonce));
    } else {
      const jobs = await store.recentTrajectories(subject, RECENT_JOBS);
      sendPage(res, 200, (nonce) => renderJobList(subject, jobs, nonce));
    }
    return true;
  };
}
