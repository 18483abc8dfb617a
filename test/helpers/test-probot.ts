import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";

export const TEST_APP_ID = 1234;
export const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/** Everything the app logged, as text, to check that no secret ever reaches the logs. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger = pino(
    { level: "trace" },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  get text(): string {
    return this.lines.join("");
  }
}

/** A Probot instance with retries and throttling off (the function form; see STYLE.md). */
export function testProbot(log: LogCapture, options: { baseUrl?: string; secret?: string } = {}): Probot {
  return new Probot({
    appId: TEST_APP_ID,
    privateKey: PRIVATE_KEY,
    secret: options.secret ?? "test-webhook-secret",
    log: log.logger,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({
      ...instanceOptions,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
}
