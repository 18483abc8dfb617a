import { Redis } from "ioredis";

interface WarnLog {
  warn(obj: object, msg: string): void;
}

/**
 * The parts of a REDIS_URL that are secrets: its password, its user:password pair and the whole
 * URL. A password-protected (`redis://:password@host`) or TLS (`rediss://`) Redis is configured
 * through the URL alone; ioredis and BullMQ read both.
 */
export function redisSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    if (!parsed.password) return [];
    const password = decodeURIComponent(parsed.password);
    return [url, password, parsed.password, `${parsed.username}:${parsed.password}`];
  } catch {
    return [url];
  }
}

/**
 * What of a Redis error may be logged: its name, code and message, with the URL's secrets masked.
 * Never the error itself: ioredis attaches the failed command to it, and for AUTH (sent again on
 * every reconnect) that command's arguments are the password.
 */
export function loggableRedisError(error: unknown, url: string | undefined): object {
  const { name, message, code } =
    error instanceof Error
      ? (error as Error & { code?: unknown })
      : {
          name: "Error",
          message: String(error),
          code: undefined,
        };
  let text = message;
  for (const secret of redisSecrets(url)) if (secret) text = text.split(secret).join("***");
  return { name, message: text, ...(typeof code === "string" ? { code } : {}) };
}

/** The app's Redis client: its errors are logged without the command that failed. */
export function connectRedis(url: string, log: WarnLog): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on("error", (error: unknown) =>
    log.warn({ err: loggableRedisError(error, url) }, "Redis connection error"),
  );
  return redis;
}
