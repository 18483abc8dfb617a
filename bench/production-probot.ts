import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { PRIVATE_KEY, TEST_APP_ID } from "../test/helpers/test-probot.ts";

/**
 * Probot's options as deployed: logging at `info` (here into nothing, the cost of formatting kept),
 * not the test suite's trace-level capture, which would charge the app for the tests' bookkeeping.
 * Retries are off so that a failure shows at once.
 */
export function productionProbotOptions(baseUrl: string, secret = "bench-secret") {
  return {
    appId: TEST_APP_ID,
    privateKey: PRIVATE_KEY,
    secret,
    baseUrl,
    log: pino({ level: "info" }, new Writable({ write: (_chunk, _encoding, done) => done() })),
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  };
}

export const productionProbot = (baseUrl: string, secret?: string): Probot =>
  new Probot(productionProbotOptions(baseUrl, secret));
