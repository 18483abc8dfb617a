// GitHub for the benchmark, in its own process: the REST API (FakeGitHubServer) and, when asked
// for, a repository of <files> small files served over authenticated smart-HTTP (GitHttpServer).
// In production GitHub is another machine; run inside the benchmark's process, its request
// handling and the copying of git packs would be charged to the app being measured.
// Usage: node bench/remote-github.ts <token> <files> [latency ms]; prints {"api", "cloneUrl"} as
// one JSON line, serves until its stdin closes, then removes the repository. The latency is waited
// before each answer of the API and of git, as a remote GitHub's round trip.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { FakeGitHubServer } from "../test/helpers/fake-github-server.ts";
import { GitHttpServer } from "../test/helpers/git-http-server.ts";

const [token, filesArg, latencyArg] = process.argv.slice(2);
if (!token) throw new Error("usage: remote-github.ts token files [latency ms]");
const files = Number(filesArg ?? 0);
const latencyMs = Number(latencyArg ?? 0);

/**
 * One commit of `files` files spread over 350 directories, written by `git fast-import` straight
 * into a bare repository: the same tree a seed checkout would give, without writing it to disk.
 */
function createRepository(root: string): string {
  const bare = path.join(root, "remote.git");
  execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", bare]);
  const stream: string[] = [
    "commit refs/heads/main",
    "committer bench <bench@example.com> 1700000000 +0000",
    "data 7",
    "initial",
  ];
  for (let i = 0; i < files; i += 1) {
    const content = `export const value${i} = ${i};\n// ${"x".repeat(200)}\n`;
    stream.push(`M 100644 inline pkg${i % 50}/mod${i % 7}/file${i}.ts`);
    stream.push(`data ${Buffer.byteLength(content)}`, content);
  }
  execFileSync("git", ["fast-import", "--quiet"], { cwd: bare, input: `${stream.join("\n")}\n` });
  return bare;
}

const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-bench-remote-"));
let cloneUrl = "";
let git: GitHttpServer | undefined;
if (files > 0) {
  const bare = createRepository(root);
  git = new GitHttpServer({ projectRoot: root, token, latencyMs });
  cloneUrl = GitHttpServer.cloneUrl(await git.start(), root, bare);
}
const github = new FakeGitHubServer({
  token,
  cloneUrl: () => cloneUrl,
  baseSha: () => "0".repeat(40),
  latencyMs,
});
const api = `http://${await github.start()}/api/v3`;
process.stdout.write(`${JSON.stringify({ api, cloneUrl })}\n`);

process.stdin.resume();
process.stdin.on("end", () => {
  void Promise.all([github.stop(), git?.stop()]).finally(() => {
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  });
});
