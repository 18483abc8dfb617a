import type { ServerResponse } from "node:http";
import type { Writable } from "node:stream";
import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";

/** Responses whose 5xx status is the intended answer (a draining process's /readyz), not a failure. */
const intendedUnavailable = new WeakSet<ServerResponse>();

/** Marks a response whose 503 is on purpose, so the request log does not report it as an error. */
export function markIntendedUnavailable(res: ServerResponse): void {
  intendedUnavailable.add(res);
}

/**
 * The logger Probot would create for `npm start` (same level, format and Sentry options, from the
 * same variables), with one difference: Probot's request log turns every 5xx into an error with a
 * stack trace, and a draining process answers each readiness probe with a 503. Those intended
 * answers are logged as the plain request line they are.
 */
export async function createProbotLog(env: NodeJS.ProcessEnv, destination?: Writable): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat:
      env.LOG_FORMAT === "json" || (!env.LOG_FORMAT && env.NODE_ENV === "production") ? "json" : "pretty",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    sentryDsn: env.SENTRY_DSN,
  });
  transform.pipe((destination ?? pino.destination(1)) as NodeJS.WritableStream);
  return pino(
    {
      level: env.LOG_LEVEL || "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          const fields = first as { res?: ServerResponse; err?: unknown } | undefined;
          if (fields?.res && intendedUnavailable.has(fields.res)) {
            const { err: _err, ...quiet } = fields;
            return method.apply(this, [quiet, ...rest] as Parameters<typeof method>);
          }
          return method.apply(this, args);
        },
      },
    },
    transform,
  );
}
