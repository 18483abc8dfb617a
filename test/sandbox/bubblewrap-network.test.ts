import { once } from "node:events";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { BubblewrapSandbox, probeBubblewrap } from "../../src/sandbox/bubblewrap-sandbox.ts";

// Issue #11, escape 4: a sandbox with the network on (setup, `sandbox.network: true`) reached the
// host's Redis on 127.0.0.1:6379 and every other service on the host's loopback.
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "issue-agent-net-")));
const workspace = path.join(root, "repo");
let server: http.Server;
let hostUrl: string;

const run = (command: string) =>
  new BubblewrapSandbox({
    workspace,
    scratch: path.join(root, "scratch"),
    access: { network: true },
    policy: new PathPolicy(parseAgentConfig({}).paths),
  }).run({ command, cwd: workspace, timeoutMs: 20_000, maxOutputBytes: 20_000 });

/** A node one-liner that prints what a TCP connection to host:port got. */
const connect = (host: string, port: number) =>
  `node -e "const s=require('net').connect(${port},'${host}');s.setTimeout(3000,()=>{console.log('${host}:${port} timeout');s.destroy()});s.on('connect',()=>{s.write('PING\\\\r\\\\n')});s.on('data',d=>{console.log('${host}:${port} answered',String(d).trim());s.destroy()});s.on('error',e=>console.log('${host}:${port} refused',e.code))"`;

beforeAll(async () => {
  expect(await probeBubblewrap()).toEqual({ available: true });
  mkdirSync(path.join(workspace, ".git"), { recursive: true });
  server = http.createServer((_req, res) => res.end("host service reached"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  hostUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

describe("BubblewrapSandbox with the network on", () => {
  it("cannot reach Redis or any other service on the host's loopback", async () => {
    const result = await run(
      `${connect("127.0.0.1", 6379)}; ${connect("10.0.2.2", 6379)}; curl -sS -m 3 ${hostUrl} 2>&1; echo`,
    );
    expect(result.output).not.toContain("answered");
    expect(result.output).not.toContain("PONG");
    expect(result.output).not.toContain("host service reached");
    expect(result.output).toContain("127.0.0.1:6379 refused");
  });

  it("cannot reach the host's own addresses, private ranges or cloud metadata", async () => {
    const hostAddresses = Object.values(os.networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((address) => address.family === "IPv4" && !address.internal)
      .map((address) => address.address);
    const targets = [...hostAddresses, "169.254.169.254", "192.168.1.1", "172.17.0.1"];
    const result = await run(targets.map((host) => connect(host, 6379)).join("; "));
    expect(result.output).not.toContain("answered");
    for (const host of targets) expect(result.output).toMatch(new RegExp(`${host}:6379 (refused|timeout)`));
  });

  it("has its own loopback, an uplink through slirp4netns, and no capabilities", async () => {
    const result = await run(
      "python3 -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 & sleep 1; curl -sS -m 3 -o /dev/null -w 'own loopback %{http_code}\\n' http://127.0.0.1:8765/; ip -4 route; grep CapEff /proc/self/status; cat /etc/resolv.conf",
    );
    expect(result.output).toContain("own loopback 200");
    expect(result.output).toMatch(/default via 10\.0\.2\.2 dev tap0/);
    expect(result.output).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.output).toContain("nameserver 10.0.2.3");
  });
});
