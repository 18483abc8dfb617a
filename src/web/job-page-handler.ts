import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TrajectoryStore } from "../trajectory/trajectory-store.ts";
import {
  authorizeUrl,
  canRead,
  endpointsFor,
  exchangeCode,
  viewerLogin,
  type GitHubEndpoints,
} from "./github-oauth.ts";
import { html } from "./html.ts";
import { CONTENT_SECURITY_POLICY, layout } from "./page-layout.ts";
import { renderJobList, renderJobPage } from "./render-job-page.ts";
import { cookie, CookieSealer, readCookie } from "./session.ts";

const SESSION = "issue_agent_session";
const SIGN_IN = "issue_agent_sign_in";
/** GitHub App user tokens live 8 hours; the session no longer. */
const SESSION_SECONDS = 8 * 3_600;
const SIGN_IN_SECONDS = 600;
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

interface Session {
  login: string;
  token: string;
}

/**
 * `GET /jobs/<id>` (a job's page) and `GET /repos/<owner>/<repo>/jobs` (a repository's recent jobs),
 * for people signed in with GitHub who may read the repository; `/auth/callback` ends the sign-in.
 * Anyone else gets no content: an anonymous visitor is sent to sign in, a viewer without access
 * gets the same 404 as for a job that does not exist.
 */
export function jobPageHandler(options: { config: JobPageConfig; store: TrajectoryStore }) {
  const { config, store } = options;
  const sealer = new CookieSealer(config.sessionSecret);
  const secure = config.publicUrl.startsWith("https:");
  const callback = `${config.publicUrl}/auth/callback`;

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res
      .writeHead(status, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        ...headers,
      })
      .end(body);
  };
  const page = (res: ServerResponse, status: number, render: (nonce: string) => string, headers = {}) => {
    const nonce = randomBytes(16).toString("base64");
    send(res, status, render(nonce), {
      "content-security-policy": CONTENT_SECURITY_POLICY(nonce),
      ...headers,
    });
  };
  const notFound = (res: ServerResponse) =>
    page(res, 404, (nonce) =>
      layout({
        title: "Not found",
        nonce,
        body: html`<h1>Not found</h1>
          <p>No such job, or you may not read its repository.</p>`,
      }),
    );

  const signIn = (res: ServerResponse, to: string) => {
    const state = randomBytes(24).toString("base64url");
    res
      .writeHead(302, {
        location: authorizeUrl(config.endpoints, config.clientId, callback, state),
        "set-cookie": cookie(SIGN_IN, sealer.seal({ state, to }, SIGN_IN_SECONDS), {
          maxAgeSeconds: SIGN_IN_SECONDS,
          secure,
        }),
        "cache-control": "no-store",
      })
      .end();
  };

  const finishSignIn = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const pending = sealer.open<{ state: string; to: string }>(readCookie(req.headers.cookie, SIGN_IN));
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code");
    if (!pending || !code || !sameText(pending.state, state)) {
      return page(res, 400, (nonce) =>
        layout({
          title: "Sign-in failed",
          nonce,
          body: html`<h1>Sign-in failed</h1>
            <p>The sign-in expired or did not start here. Open the job's page again.</p>`,
        }),
      );
    }
    const token = await exchangeCode(
      config.endpoints,
      { id: config.clientId, secret: config.clientSecret },
      code,
      callback,
    );
    const login = await viewerLogin(config.endpoints, token);
    res
      .writeHead(302, {
        location: safePath(pending.to),
        "set-cookie": [
          cookie(SESSION, sealer.seal({ login, token } satisfies Session, SESSION_SECONDS), {
            maxAgeSeconds: SESSION_SECONDS,
            secure,
          }),
          cookie(SIGN_IN, "", { maxAgeSeconds: 0, secure }),
        ],
        "cache-control": "no-store",
      })
      .end();
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET") return false;
    const url = new URL(req.url ?? "/", "http://localhost");
    const job = /^\/jobs\/([\w-]{1,100})$/.exec(url.pathname);
    const list = /^\/repos\/([\w.-]{1,100})\/([\w.-]{1,100})\/jobs$/.exec(url.pathname);
    if (url.pathname === "/auth/callback") {
      await finishSignIn(req, res, url).catch(() =>
        page(res, 502, (nonce) =>
          layout({
            title: "Sign-in failed",
            nonce,
            body: html`<h1>Sign-in failed</h1>
              <p>GitHub did not complete the sign-in. Try again.</p>`,
          }),
        ),
      );
      return true;
    }
    if (!job && !list) return false;
    const session = sealer.open<Session>(readCookie(req.headers.cookie, SESSION));
    if (!session) {
      signIn(res, url.pathname);
      return true;
    }
    const repository = list ? `${list[1]}/${list[2]}`.toLowerCase() : undefined;
    const trajectory = job ? await store.getTrajectory(job[1]!) : undefined;
    const subject = repository ?? trajectory?.repository;
    if (!subject || !(await canRead(config.endpoints, session.token, subject).catch(() => false))) {
      notFound(res);
      return true;
    }
    if (trajectory) {
      page(res, 200, (nonce) => renderJobPage(trajectory, nonce));
    } else {
      const jobs = await store.recentTrajectories(subject, RECENT_JOBS);
      page(res, 200, (nonce) => renderJobList(subject, jobs, nonce));
    }
    return true;
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Only a path on this host: never `//evil.example` or an absolute URL. */
function safePath(to: string): string {
  return /^\/(?![/\\])/.test(to) ? to : "/";
}
