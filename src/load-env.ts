import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * Applies `.env` to the environment, exactly as Probot's `run()` does when it starts: parsed with
 * node's dotenv parser (which reads the `PRIVATE_KEY="…\n…"` line Probot's setup writes), and the
 * file's values win over the environment's. Every entry point calls this before it reads anything,
 * so `npm start`, `npm run worker` and the CLI see the same settings as Probot; reading the
 * environment first and letting Probot apply `.env` later is what kept `npm start` in setup mode.
 * Returns the names it set; no file is no error.
 */
export function loadDotEnv(
  options: {
    dir?: string;
    env?: NodeJS.ProcessEnv;
    /** Keep variables the environment already sets (the CLI: a command-line value wins). */
    keepExisting?: boolean;
  } = {},
): string[] {
  const file = path.join(options.dir ?? process.cwd(), ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const env = options.env ?? process.env;
  const values = Object.entries(parseEnv(text)).filter(
    ([name]) => !options.keepExisting || env[name] === undefined,
  );
  for (const [name, value] of values) env[name] = value;
  return values.map(([name]) => name);
}
