import { Writable } from "node:stream";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createIssueAgent } from "../../src/app.ts";
import { createProbotLog } from "../../src/server/probot-log.ts";
import { loadSettings } from "../../src/settings.ts";
import { PRIVATE_KEY, TEST_APP_ID } from "../helpers/test-probot.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("shutting down", () => {
  it("answers /readyz with 503 while draining without logging it as an error", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "quiet-shutdown-"));
    const lines: string[] = [];
    const log = await createProbotLog(
      { LOG_FORMAT: "json", LOG_LEVEL: "info" },
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          lines.push(chunk.toString("utf8"));
          done();
        },
      }),
    );
    const agent = createIssueAgent({
      settings: loadSettings({ ISSUE_AGENT_DB: path.join(dir, "state.db") }),
      env: {},
    });
    server = new Server({
      Probot: Probot.defaults({ appId: TEST_APP_ID, privateKey: PRIVATE_KEY, secret: "s", log }),
      log,
      port: 0,
      host: "127.0.0.1",
    });
    await server.load(agent.app);
    await server.start();
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await agent.shutdown(1_000);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    // Something that is not the readiness answer still counts as an error: the demotion is narrow.
    const records = lines
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, any>);
    const readiness = records.filter((record) => /GET \/readyz 503/.test(record.msg));
    expect(readiness).toHaveLength(1);
    expect(readiness[0]!.level).toBe(30);
    expect(readiness[0]!.err).toBeUndefined();
    expect(JSON.stringify(records)).not.toContain("failed with status code");
  });
});
