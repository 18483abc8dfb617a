import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeUrl, exchangeCode, viewerLogin } from "./github-oauth.ts";
import type { JobPageConfig } from "./job-page-handler.ts";
import { redirect, sendMessage } from "./respond.ts";
import { cookie, CookieSealer, readCookie } from "./session.ts";

const SESSION = "issue_agent_session";
const SIGN_IN = "issue_agent_sign_in";
/** GitHub App user tokens live 8 hours; the session no longer. */
const SESSION_SECONDS = 8 * 3_600;
const SIGN_IN_SECONDS = 600;

export interface Session {
  login: string;
  token: string;
}

/**
 * Sign-in with GitHub (the OAuth web flow with the App's own credentials): a `state` bound to the
 * browser by a short-lived sealed cookie, then a sealed HttpOnly session cookie holding the viewer's
 * login and token.
 */
export class SignInFlow {
  private readonly config: JobPageConfig;
  private readonly sealer: CookieSealer;
  private readonly secure: boolean;
  private readonly callback: string;

  constructor(config: JobPageConfig) {
    this.config = config;
    this.sealer = new CookieSealer(config.sessionSecret);
    this.secure = config.publicUrl.startsWith("https:");
    this.callback = `${config.publicUrl}/auth/callback`;
  }

  /** The signed-in viewer, or undefined (no cookie, an altered one, or an expired one). */
  session(req: IncomingMessage): Session | undefined {
    return this.sealer.open<Session>(readCookie(req.headers.cookie, SESSION));
  }

  /** Sends the browser to GitHub to sign in; it comes back to `to` on this host. */
  start(res: ServerResponse, to: string): void {
    const state = randomBytes(24).toString("base64url");
    redirect(
      res,
      authorizeUrl(this.config.endpoints, this.config.clientId, this.callback, state),
      cookie(SIGN_IN, this.sealer.seal({ state, to }, SIGN_IN_SECONDS), {
        maxAgeSeconds: SIGN_IN_SECONDS,
        secure: this.secure,
      }),
    );
  }

  /** `/auth/callback`: checks the state, trades the code for the viewer's token, starts the session. */
  async finish(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const pending = this.sealer.open<{ state: string; to: string }>(readCookie(req.headers.cookie, SIGN_IN));
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code");
    if (!pending || !code || !sameText(pending.state, state)) {
      sendMessage(
        res,
        400,
        "Sign-in failed",
        "The sign-in expired or did not start here. Open the job's page again.",
      );
      return;
    }
    const { endpoints, clientId, clientSecret } = this.config;
    const token = await exchangeCode(endpoints, { id: clientId, secret: clientSecret }, code, this.callback);
    const login = await viewerLogin(endpoints, token);
    redirect(res, safePath(pending.to), [
      cookie(SESSION, this.sealer.seal({ login, token } satisfies Session, SESSION_SECONDS), {
        maxAgeSeconds: SESSION_SECONDS,
        secure: this.secure,
      }),
      cookie(SIGN_IN, "", { maxAgeSeconds: 0, secure: this.secure }),
    ]);
  }
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
