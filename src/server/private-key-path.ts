import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.ts";

/**
 * Refuses a PRIVATE_KEY_PATH that cannot be read. Probot, given one, prints a stack trace, opens
 * its setup page as if the app had no credentials, then stops with "privateKey option is
 * required": nothing of that names the file. PRIVATE_KEY, when set, is the key Probot uses.
 */
export function checkPrivateKeyPath(env: NodeJS.ProcessEnv): void {
  const file = env.PRIVATE_KEY_PATH;
  // Without APP_ID, Probot opens its setup page, which writes a PRIVATE_KEY that then wins.
  if (!file || env.PRIVATE_KEY || !env.APP_ID) return;
  try {
    readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `PRIVATE_KEY_PATH is ${file}, which cannot be read${code ? ` (${code})` : ""}.`,
      "Point PRIVATE_KEY_PATH at the .pem file generated on the GitHub App's settings page (General → Private keys), or set PRIVATE_KEY to the key itself.",
    );
  }
}
