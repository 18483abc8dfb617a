import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { runCapped } from "../../sandbox/run-capped.ts";
import { pickNodeVersion, type NodeRange } from "./node-version-range.ts";
import { succeeded } from "../../succeeded.ts";

/** A Node.js kept in the toolchain cache: its `bin` holds `node`, `corepack` and an npm that runs on it. */
export interface NodeToolchain {
  version: string;
  /** The version's directory; shown read-only to commands. */
  root: string;
  /** Put first on commands' PATH. */
  binDir: string;
}

/** Written last into a version's directory; `-2`: versions installed before npm was part of it are fetched again. */
const COMPLETE = ".issue-agent-complete-2";

/**
 * npm's release lines and the Node.js versions each supports (their `engines.node`), newest first.
 * A provisioned Node.js gets the newest line that supports it, as its own release would: the app's
 * npm (11) does not run on Node.js 18 or older.
 */
const NPM_LINES: ReadonlyArray<readonly [major: string, node: string]> = [
  ["11", "^20.17.0 || >=22.9.0"],
  ["10", "^18.17.0 || >=20.5.0"],
  ["9", "^14.17.0 || ^16.13.0 || >=18.0.0"],
  ["8", "^12.13.0 || ^14.15.0 || >=16.0.0"],
  ["6", ">=6"],
];

/** The npm package spec installed beside Node.js `version` (`npm@10` for 18.20.4). Pure. */
export function npmFor(version: string): string {
  const line = NPM_LINES.find(([, node]) => semver.satisfies(version, node));
  return `npm@${line?.[0] ?? NPM_LINES.at(-1)![0]}`;
}
const OUTPUT_BYTES = 256 * 1024;
const inFlight = new Map<string, Promise<NodeToolchain>>();

/**
 * The Node.js for `range`, from the cache when a cached version satisfies it, otherwise the newest
 * published one, installed into the cache from the npm registry's platform package (what the
 * `node` package's install script would fetch) — with `--ignore-scripts`, so provisioning runs no
 * package's code at all, and in a directory of the app's, so no repository file (`.npmrc`,
 * `package.json`) takes part. The version is an exact one the registry listed, never the
 * repository's text. Each version is installed once (per process) and moved into place whole.
 */
export async function provisionNode(options: {
  cacheDir: string;
  range: Exclude<NodeRange, { kind: "invalid" }>;
  /** npm's environment: PATH, HOME and the operator's registry/CA/proxy settings; no secrets. */
  environment: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  now?: Date;
}): Promise<NodeToolchain | undefined> {
  const nodeDir = path.join(options.cacheDir, "node");
  const now = options.now ?? new Date();
  await mkdir(nodeDir, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const names = await readdir(nodeDir).catch(() => [] as string[]);
    await removeAbandonedStaging(nodeDir, names, now);
    const version = await chooseVersion(nodeDir, await cachedVersions(nodeDir, names), options);
    if (!version) return undefined;
    // Removed by another job while this one chose it (see removeUnused): provided again, once.
    if ((await markUsed(nodeDir, version, now)) === "gone" && attempt === 1) continue;
    await removeUnused(nodeDir, names, version, now);
    return toolchainAt(nodeDir, version);
  }
}

/** The cached version the range takes, or the one to install from the registry (installed here). */
async function chooseVersion(
  nodeDir: string,
  cached: string[],
  options: Parameters<typeof provisionNode>[0],
): Promise<string | undefined> {
  if (options.range.kind === "range") {
    const hit = semver.maxSatisfying(cached, options.range.range);
    if (hit) return hit;
  }
  const npm = (args: string[], cwd: string) => runNpm(args, cwd, options);
  const released = await publishedVersions(nodeDir, npm);
  const version = pickNodeVersion(options.range, released, options.now ?? new Date());
  if (!version || cached.includes(version)) return version;
  const pending = inFlight.get(version) ?? install(nodeDir, version, npm);
  inFlight.set(version, pending);
  try {
    return (await pending).version;
  } finally {
    inFlight.delete(version);
  }
}

/** A version no job has taken for this long is removed when a job next provisions one. */
const UNUSED_FOR_MS = 30 * 24 * 60 * 60_000;
/** Its time is when a job last took the version (or when this app first saw it, see removeUnused). */
const LAST_USED = ".issue-agent-last-used";

async function stamp(marker: string, now: Date): Promise<void> {
  await writeFile(marker, `${now.toISOString()}\n`);
  await utimes(marker, now, now);
}

/**
 * Marks the version as taken now. A directory that cannot be written (mounted read-only, say)
 * keeps its versions unmarked, and so never loses one: nothing fails because of it.
 */
async function markUsed(
  nodeDir: string,
  version: string,
  now: Date,
): Promise<"marked" | "gone" | "unwritable"> {
  return stamp(path.join(nodeDir, version, LAST_USED), now).then(
    () => "marked" as const,
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "gone" : "unwritable"),
  );
}

/**
 * Keeps the cache from growing with every version a repository ever declared: a version no job
 * took for 30 days is moved aside (one rename, so no other process sees it half removed) and
 * deleted; a job that needs it again installs it again. A version without a mark (installed
 * before the app kept them, or by an app that does not) gets one now, so its 30 days start here
 * rather than at its install, and a process that does not mark what it uses gets that long to
 * stop. A version marked again between the look and the rename (another job took it) is put
 * back. Nothing here fails the job: what cannot be removed now is tried again next time.
 */
async function removeUnused(nodeDir: string, names: string[], taken: string, now: Date): Promise<void> {
  const fresh = (mtimeMs: number) => now.getTime() - mtimeMs < UNUSED_FOR_MS;
  for (const name of names) {
    if (!semver.valid(name) || name === taken) continue;
    const dir = path.join(nodeDir, name);
    try {
      const used = await stat(path.join(dir, LAST_USED)).then(
        (info) => info.mtimeMs,
        () => undefined,
      );
      if (used === undefined) {
        await stamp(path.join(dir, LAST_USED), now);
        continue;
      }
      if (fresh(used)) continue;
      const aside = path.join(nodeDir, `.unused-${name}-${randomBytes(4).toString("hex")}`);
      await rename(dir, aside);
      const since = await stat(path.join(aside, LAST_USED)).then((info) => info.mtimeMs);
      if (fresh(since) && (await succeeded(rename(aside, dir)))) continue;
      await rm(aside, { recursive: true, force: true });
    } catch {
      // Left for the next time a job provisions one.
    }
  }
}

type Npm = (args: string[], cwd: string) => Promise<string>;

async function install(nodeDir: string, version: string, npm: Npm): Promise<NodeToolchain> {
  const staging = path.join(nodeDir, `.staging-${version}-${randomBytes(4).toString("hex")}`);
  await mkdir(staging, { recursive: true });
  try {
    await writeFile(path.join(staging, "package.json"), '{ "name": "issue-agent-node", "private": true }\n');
    await npm(
      [
        "install",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        `${platformPackage()}@${version}`,
        "corepack",
        npmFor(version),
      ],
      staging,
    );
    await writeFile(path.join(staging, COMPLETE), `${version}\n`);
    const destination = path.join(nodeDir, version);
    // A directory there without the marker is an older install (without npm): replaced whole.
    if (!(await isComplete(destination))) await rm(destination, { recursive: true, force: true });
    await rename(staging, destination).catch(async (error: NodeJS.ErrnoException) => {
      // Another process installed the same version meanwhile: theirs is as good.
      if (!(await isComplete(destination))) throw error;
    });
    return toolchainAt(nodeDir, version);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** An install ends at its timeout: a staging directory this old was left by a process that died. */
const ABANDONED_AFTER_MS = 6 * 60 * 60_000;

async function removeAbandonedStaging(nodeDir: string, names: string[], now: Date): Promise<void> {
  for (const name of names) {
    // `.unused-`: a version moved aside for removal by a process that died before it was gone.
    if (!name.startsWith(".staging-") && !name.startsWith(".unused-")) continue;
    const dir = path.join(nodeDir, name);
    const changed = await stat(dir).then(
      (info) => info.mtimeMs,
      () => now.getTime(),
    );
    if (now.getTime() - changed > ABANDONED_AFTER_MS) await rm(dir, { recursive: true, force: true });
  }
}

/** The registry's package holding just the binary, as the `node` package's install script names it. */
function platformPackage(): string {
  const prefix = process.platform === "darwin" && process.arch === "arm64" ? "node-bin" : "node";
  return `${prefix}-${process.platform}-${process.arch}`;
}

/** How long the registry's list of releases is trusted: new Node.js releases come weeks apart. */
const RELEASES_FRESH_MS = 60 * 60_000;
const releasesSeen = new Map<string, { at: number; versions: Map<string, Date> }>();

/**
 * The published versions and their dates, asked of the registry at most once an hour per cache:
 * a repository whose `.nvmrc` says `lts/*` or `node` needs them for every job. When the registry
 * cannot be reached, the last list this process saw serves, however old; without one the job fails.
 */
async function publishedVersions(nodeDir: string, npm: Npm): Promise<Map<string, Date>> {
  const seen = releasesSeen.get(nodeDir);
  if (seen && Date.now() - seen.at < RELEASES_FRESH_MS) return seen.versions;
  let output: string;
  try {
    output = await npm(["view", "--json", platformPackage(), "time"], nodeDir);
  } catch (error) {
    if (seen) return seen.versions;
    throw error;
  }
  const times = JSON.parse(output) as Record<string, string>;
  const versions = new Map(
    Object.entries(times)
      .filter(([version]) => semver.valid(version))
      .map(([version, when]) => [version, new Date(when)]),
  );
  releasesSeen.set(nodeDir, { at: Date.now(), versions });
  return versions;
}

/** The complete versions among the cache directory's entries. */
async function cachedVersions(nodeDir: string, names: string[]): Promise<string[]> {
  const complete = await Promise.all(
    names.map(async (name) =>
      semver.valid(name) && (await isComplete(path.join(nodeDir, name))) ? name : "",
    ),
  );
  return complete.filter(Boolean);
}

async function isComplete(dir: string): Promise<boolean> {
  return succeeded(stat(path.join(dir, COMPLETE)));
}

function toolchainAt(nodeDir: string, version: string): NodeToolchain {
  const root = path.join(nodeDir, version);
  return { version, root, binDir: path.join(root, "node_modules", ".bin") };
}

async function runNpm(
  args: string[],
  cwd: string,
  options: { environment: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  // stdout to a file of its own: npm's notices on stderr must not end up in the JSON.
  const out = path.join(cwd, `.npm-out-${randomBytes(4).toString("hex")}`);
  try {
    const result = await runCapped({
      file: "sh",
      args: ["-c", 'out="$1"; shift; exec npm "$@" > "$out"', "sh", out, ...args, "--loglevel=error"],
      cwd,
      env: options.environment,
      timeoutMs: options.timeoutMs,
      maxOutputBytes: OUTPUT_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.exitCode !== 0 || result.timedOut) {
      const why = result.timedOut ? "timed out" : `exited ${result.exitCode ?? "on a signal"}`;
      throw new Error(`\`npm ${args.join(" ")}\` ${why}: ${result.output.trim().slice(-2_000)}`);
    }
    return await readFile(out, "utf8");
  } finally {
    await rm(out, { force: true });
  }
}
