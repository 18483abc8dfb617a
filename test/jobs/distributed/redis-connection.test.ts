import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { BullJobQueue } from "../../../src/jobs/distributed/bullmq-queue.ts";
import { connectRedis, redisSecrets } from "../../../src/jobs/distributed/redis-connection.ts";
import { newJob } from "../../../src/jobs/job.ts";
import { RedisState } from "../../../src/jobs/stores/redis-state.ts";
import { freePort } from "../../helpers/free-port.ts";
import { testTrigger } from "../../helpers/test-trigger.ts";
import { waitFor } from "../../helpers/wait-for.ts";

// A second, password-protected redis-server (and one that speaks only TLS), started by the test.
const dir = mkdtempSync(path.join(os.tmpdir(), "issue-agent-redis-auth-"));
const password = `pw-${randomBytes(8).toString("hex")}`;
const servers: ChildProcess[] = [];
let port: number;
let tlsPort: number;

async function startRedis(args: string[], readyPort: number): Promise<void> {
  const server = spawn("redis-server", ["--save", "", "--appendonly", "no", "--dir", dir, ...args], {
    stdio: "ignore",
  });
  servers.push(server);
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) =>
      net
        .connect(readyPort, "127.0.0.1")
        .once("connect", function (this: net.Socket) {
          this.destroy();
          resolve(true);
        })
        .once("error", () => resolve(false)),
    );
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("redis-server did not start");
}

beforeAll(async () => {
  port = await freePort();
  await startRedis(["--port", String(port), "--requirepass", password], port);
  tlsPort = await freePort();
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  await startRedis(
    [
      "--port",
      "0",
      "--tls-port",
      String(tlsPort),
      "--requirepass",
      password,
      "--tls-cert-file",
      path.join(dir, "cert.pem"),
      "--tls-key-file",
      path.join(dir, "key.pem"),
      "--tls-ca-cert-file",
      path.join(dir, "cert.pem"),
      "--tls-auth-clients",
      "no",
    ],
    tlsPort,
  );
});
afterAll(() => {
  for (const server of servers) server.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const silent = { warn: () => undefined };

describe("Redis with a password", () => {
  it("keeps jobs and queues them when REDIS_URL carries the password, and refuses without it", async () => {
    const url = `redis://:${password}@127.0.0.1:${port}`;
    const redis = connectRedis(url, silent);
    const queue = new BullJobQueue(url, "issue-agent-auth");
    try {
      const state = new RedisState(redis, "issue-agent-auth");
      const created = await state.createUnlessActive(
        newJob(testTrigger({ issueNumber: 1 }), parseAgentConfig({})),
      );
      expect(created.created).toBe(true);
      if (created.created) expect((await state.get(created.job.id))?.id).toBe(created.job.id);
      await queue.enqueue("job-1");
      expect(await redis.llen("issue-agent-auth:jobs:wait")).toBe(1);
    } finally {
      await queue.close();
      redis.disconnect();
    }
    const anonymous = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, lazyConnect: true });
    anonymous.on("error", () => undefined);
    await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  });

  it("never logs the password, though ioredis attaches it to the failed AUTH", async () => {
    const wrong = `wrong-${randomBytes(6).toString("hex")}`;
    const url = `redis://default:${wrong}@127.0.0.1:${port}`;
    const logged: object[] = [];
    const raw: unknown[] = [];
    const redis = connectRedis(url, { warn: (obj) => logged.push(obj) });
    redis.on("error", (error: unknown) => raw.push(error));
    await expect(redis.ping()).rejects.toThrow(/WRONGPASS/);
    // ioredis emits the failed AUTH as an error event, and logs it, after the command rejects.
    await waitFor(() => raw.length > 0 && logged.length > 0, 5_000);
    redis.disconnect();
    expect(JSON.stringify((raw[0] as { command?: unknown }).command)).toContain(wrong);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).toContain("WRONGPASS");
    expect(JSON.stringify(logged)).not.toContain(wrong);
    expect(redisSecrets(url)).toContain(wrong);
  });

  it("speaks TLS with rediss://, trusting the CA named by NODE_EXTRA_CA_CERTS", () => {
    const script = `
      import { connectRedis } from "./src/jobs/distributed/redis-connection.ts";
      const redis = connectRedis(process.env.URL, { warn: (o) => console.error(JSON.stringify(o)) });
      console.log(await redis.ping(), redis.options.tls ? "tls" : "plain");
      redis.disconnect();`;
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH,
        URL: `rediss://:${password}@localhost:${tlsPort}`,
        NODE_EXTRA_CA_CERTS: path.join(dir, "cert.pem"),
      },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(output.trim()).toBe("PONG tls");
  });
});
