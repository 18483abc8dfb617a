import type { GitCredentials } from "../forge/forge.ts";

/**
 * Environment for the app's own git processes. Credentials travel as an HTTP header set through
 * GIT_CONFIG_* variables: never in the remote URL, `.git/config`, a credential file or argv.
 */
export function gitEnvironment(
  home: string,
  credentials: GitCredentials | undefined,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    LANG: "C.UTF-8",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  if (credentials) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    env.GIT_CONFIG_COUNT = "1";
    env.GIT_CONFIG_KEY_0 = "http.extraHeader";
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
  }
  return env;
}

/** The base64 form of the credentials, which must be redacted just like the token itself. */
export function credentialForms(credentials: GitCredentials | undefined): string[] {
  if (!credentials) return [];
  return [
    credentials.password,
    Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64"),
  ];
}
