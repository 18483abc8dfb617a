import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readlink } from "node:fs/promises";
import os from "node:os";
import { promisify } from "node:util";

/**
 * Destinations a sandbox never reaches, even with the network on: private, shared, link-local
 * (cloud metadata at 169.254.169.254), benchmark, multicast and reserved ranges. Host loopback is
 * refused by slirp4netns itself (`--disable-host-loopback`); the host's own addresses are added per
 * host. slirp4netns's own network (10.0.2.0/24: its gateway and DNS forwarder) stays reachable
 * because its route is more specific than 10.0.0.0/8.
 */
export const UNREACHABLE_RANGES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
];

/** DNS inside the namespace goes to slirp4netns's forwarder, which asks the host's resolver. */
export const SLIRP_RESOLV_CONF = "nameserver 10.0.2.3\n";

const READY_TIMEOUT_MS = 10_000;

/** The routes that make every unreachable range and every address of the host fail at once. */
export function unreachableRoutes(hostAddresses: readonly string[]): string[] {
  return [...UNREACHABLE_RANGES, ...hostAddresses.map((address) => `${address}/32`)];
}

function hostIpv4Addresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => address.family === "IPv4" && !address.internal)
    .map((address) => address.address);
}

/**
 * The program line that runs `command` in a user and network namespace of its own, once a line
 * arrives on fd 3 (sent after `connectNamespace`). bwrap then runs inside it without `--unshare-net`;
 * its own user namespace, nested in this one, has no capabilities over this network namespace.
 */
export function inNetworkNamespace(command: readonly string[]): string[] {
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--net",
    "sh",
    "-c",
    'read -r _ <&3; exec 3<&-; exec "$@"',
    "sh",
    ...command,
  ];
}

/**
 * Gives the network namespace of `pid` (the `inNetworkNamespace` process, waiting on fd 3) outbound
 * access through slirp4netns — a user-space NAT, so the namespace has no route into the host's own
 * network stack — then blocks host loopback, private ranges and the host's addresses. Returns a
 * stop function.
 */
export async function connectNamespace(pid: number): Promise<() => void> {
  await namespaceCreated(pid);
  const slirp = spawn(
    "slirp4netns",
    ["--configure", "--mtu=65520", "--disable-host-loopback", "--ready-fd=3", String(pid), "tap0"],
    { stdio: ["ignore", "ignore", "pipe", "pipe"] },
  );
  const stop = () => {
    if (slirp.exitCode === null) slirp.kill("SIGKILL");
  };
  try {
    await ready(slirp);
    const inNamespace = ["--target", String(pid), "--user", "--net", "--preserve-credentials"];
    for (const route of unreachableRoutes(hostIpv4Addresses()))
      await promisify(execFile)("nsenter", [...inNamespace, "ip", "route", "add", "unreachable", route], {
        timeout: READY_TIMEOUT_MS,
      });
    return stop;
  } catch (error) {
    stop();
    throw error;
  }
}

/** Waits until `pid` runs in a network namespace other than the app's (unshare has done its work). */
async function namespaceCreated(pid: number): Promise<void> {
  const own = await readlink("/proc/self/ns/net");
  const started = Date.now();
  while (Date.now() - started < READY_TIMEOUT_MS) {
    const current = await readlink(`/proc/${pid}/ns/net`).catch(() => own);
    if (current !== own) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the sandbox's network namespace was not created");
}

function ready(slirp: ChildProcess): Promise<void> {
  let stderr = "";
  slirp.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`slirp4netns did not start: ${stderr.trim()}`)),
      READY_TIMEOUT_MS,
    );
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`slirp4netns ${reason}: ${stderr.trim()}`));
    };
    slirp.once("error", (error) => fail(error.message));
    slirp.once("exit", (code) => fail(`exited ${code}`));
    (slirp.stdio[3] as NodeJS.ReadableStream).once("data", () => {
      clearTimeout(timer);
      slirp.removeAllListeners("exit");
      resolve();
    });
  });
}
