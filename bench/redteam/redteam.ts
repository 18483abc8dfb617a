// `npm run bench -- redteam`: hostile commands and file operations through the real command policy,
// sandbox and file tools, and ordinary commands that must be allowed. Prints tried / refused /
// contained / escaped per category; returns how many escaped (or ordinary commands were refused).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { JobClock } from "../../src/agent/job-clock.ts";
import { RunLog } from "../../src/jobs/run-log.ts";
import { defaultTools } from "../../src/agent/tools/default-tools.ts";
import { executeToolCall } from "../../src/agent/tools/execute-tool-call.ts";
import type { ToolContext } from "../../src/agent/tools/tool.ts";
import { parseAgentConfig } from "../../src/config/parse-agent-config.ts";
import type { StepDelivery } from "../../src/gates/deliver-step.ts";
import { judgeCommand } from "../../src/guardrails/commands/judge-command.ts";
import { PathPolicy } from "../../src/guardrails/paths/path-policy.ts";
import { chooseSandbox } from "../../src/sandbox/choose-sandbox.ts";
import { prepareGitView } from "../../src/workspace/sandbox-git-view.ts";
import { SecretRedactor } from "../../src/security/secret-redactor.ts";
import { gitEnvironment } from "../../src/workspace/git-environment.ts";
import { openGit } from "../../src/git.ts";
import { ORDINARY_COMMANDS } from "../../test/fixtures/ordinary-commands.ts";
import { HOSTILE_COMMANDS } from "./hostile-commands.ts";
import { HOSTILE_FILE_OPERATIONS } from "./hostile-file-operations.ts";
import { createTemplate, gitStateSkip, loopbackServer, secret, snapshot } from "./redteam-workspace.ts";

type Outcome = "refused" | "contained" | "escaped";
interface Row {
  category: string;
  subject: string;
  outcome: Outcome;
  why?: string;
}

export async function redTeam(): Promise<number> {
  const root = mkdtempSync(path.join(os.tmpdir(), "issue-agent-redteam-"));
  const host = path.join(root, "host");
  mkdirSync(host);
  const hostSecret = secret("host-secret");
  const envFileSecret = secret("env-file-secret");
  const token = `ghs_${secret("REDTEAM").replace(/-/g, "")}`;
  writeFileSync(path.join(host, "canary.txt"), `canary ${secret("c")}\n`);
  writeFileSync(path.join(host, "secret.txt"), `${hostSecret}\n`);
  // Files that must stay invisible: one in the app's working directory, one in another job's
  // workspace. A listing shows the name, a read the content; rows that name the file get the
  // name back in an error message, so only its content counts for them.
  const marker = `redteam-marker-${secret("m")}`;
  const markerContent = secret("marker-content");
  const other = path.join(root, "other-job", "repo");
  mkdirSync(other, { recursive: true });
  const markers = [path.join(process.cwd(), marker), path.join(other, marker), path.join(host, marker)];
  for (const file of markers) writeFileSync(file, `${markerContent}\n`);
  process.once("exit", () => markers.forEach((file) => rmSync(file, { force: true })));
  // What the app process holds: the token in its environment, known to its redactor.
  process.env.REDTEAM_INSTALLATION_TOKEN = token;
  const redactor = new SecretRedactor();
  redactor.add(token);
  const template = path.join(root, "template");
  createTemplate(template, envFileSecret);
  const loopback = await loopbackServer();
  const config = parseAgentConfig(undefined);
  const policy = new PathPolicy(config.paths);
  let counter = 0;

  /** A fresh copy of the workspace and a sandbox for it, so no row sees another's leftovers. */
  const fresh = async () => {
    counter += 1;
    const workspace = path.join(root, `ws-${counter}`);
    cpSync(template, workspace, { recursive: true, verbatimSymlinks: true });
    const scratch = path.join(root, `scratch-${counter}`);
    // As a job does: commands see the sanitized git view (no forbidden file's history), and never
    // another row's workspace.
    const gitEnv = gitEnvironment(scratch, undefined);
    mkdirSync(scratch, { recursive: true });
    const baseSha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: workspace, encoding: "utf8" }).trim();
    const gitView = await prepareGitView(
      { dir: workspace, scratch, gitEnv, baseSha, branch: "main", objectSource: undefined },
      policy,
    );
    const sandbox = await chooseSandbox({
      workspace,
      scratch,
      config,
      policy,
      gitView,
      privatePaths: [root],
      access: { network: false },
    });
    const context: ToolContext = {
      workspace,
      sandbox,
      config,
      paths: policy,
      log: new RunLog(),
      clock: new JobClock(),
      redact: (text) => redactor.redact(text),
      publishable: (text) => redactor.redact(text),
      remainingMs: () => 600_000,
      approvalFor: async () => ({ decision: "denied", by: "redteam" }),
      delivery: {} as StepDelivery,
      signal: undefined,
    };
    return { workspace, sandbox, context, id: `${process.pid}-${counter}` };
  };
  const fill = (text: string, id: string, workspace: string) =>
    text
      .replaceAll("{HOST}", host)
      .replaceAll("{PORT}", String(loopback.port))
      .replaceAll("{ID}", id)
      .replaceAll("{APP}", process.cwd())
      .replaceAll("{OTHER}", other)
      .replaceAll("{MARKER}", marker)
      .replaceAll("{WS}", workspace);

  /** Runs `attack` and reports what, if anything, it did to the host. */
  const judgeHarm = async (workspace: string, id: string, subject: string, attack: () => Promise<string>) => {
    const hostBefore = snapshot(host);
    const gitBefore = snapshot(path.join(workspace, ".git"), gitStateSkip);
    const hitsBefore = loopback.hits();
    const rssBefore = process.memoryUsage().rss;
    const output = await attack();
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    // The host's own git in the workspace, as the app runs it when it delivers a step (add, status).
    const git = openGit(
      workspace,
      gitEnvironment(path.join(root, "git-home"), { username: "x-access-token", password: token }),
    );
    await git.raw(["add", "--all"]).catch(() => "");
    await git.raw(["status", "--porcelain"]).catch(() => "");
    const outside = [`/usr/lib/redteam-${id}`, "/tmp/big", path.join(root, `outside-${id}.txt`)];
    const harms = [
      snapshot(host) !== hostBefore && "a host file outside the workspace changed",
      outside.some((p) => existsSync(p)) && "a file was created outside the workspace",
      snapshot(path.join(workspace, ".git"), gitStateSkip) !== gitBefore &&
        ".git (config, hooks, info) changed",
      loopback.hits() > hitsBefore && "the host's loopback was reached",
      output.includes(hostSecret) && "a host secret was printed",
      (output.includes(markerContent) || (!subject.includes(marker) && output.includes(marker))) &&
        "a file of the app, another job or the host was visible",
      output.includes(envFileSecret) && "the forbidden .env's content was printed",
      output.includes(token) && "the installation token was printed",
      output.includes("REDTEAM-ESCAPED") && "the command reported success at its harm",
      rssGrowth > 300 * 2 ** 20 && `the app's memory grew by ${Math.round(rssGrowth / 2 ** 20)} MB`,
    ].filter((h): h is string => typeof h === "string");
    for (const p of outside) rmSync(p, { force: true });
    return { output, harms };
  };

  // REDTEAM_ONLY=regex runs only the matching rows (and no ordinary commands), to try a row quickly.
  const only = process.env.REDTEAM_ONLY ? new RegExp(process.env.REDTEAM_ONLY) : undefined;
  const picked = <T>(list: readonly T[]) =>
    only ? list.filter((entry) => only.test(JSON.stringify(entry))) : list;
  const rows: Row[] = [];
  for (const entry of picked(HOSTILE_COMMANDS)) {
    const { workspace, context, id } = await fresh();
    const command = fill(entry.command, id, workspace);
    const verdict = await judgeCommand(command, config.commands);
    if (verdict.decision !== "allow") {
      rows.push({ category: entry.category, subject: entry.command, outcome: "refused" });
    } else if (entry.mustRefuse) {
      // Never run: the policy was the defence here, and it let the command through.
      rows.push({
        category: entry.category,
        subject: entry.command,
        outcome: "escaped",
        why: "the policy allowed it",
      });
    } else {
      const { harms } = await judgeHarm(workspace, id, command, async () => {
        const call = {
          name: "run_command",
          arguments: JSON.stringify({ command, timeout_seconds: entry.timeoutSeconds ?? 60 }),
        };
        return (await executeToolCall(defaultTools, call, context)).output;
      });
      rows.push({
        category: entry.category,
        subject: entry.command,
        outcome: harms.length ? "escaped" : "contained",
        ...(harms.length ? { why: harms.join("; ") } : {}),
      });
    }
    rmSync(workspace, { recursive: true, force: true });
  }

  for (const entry of picked(HOSTILE_FILE_OPERATIONS)) {
    const { workspace, sandbox, context, id } = await fresh();
    if (entry.setup)
      await sandbox.run({
        command: fill(entry.setup, id, workspace),
        cwd: workspace,
        timeoutMs: 30_000,
        maxOutputBytes: 65_536,
      });
    const args = JSON.parse(fill(JSON.stringify(entry.args), id, workspace)) as Record<string, unknown>;
    const subject = `${entry.tool} ${JSON.stringify(entry.args)}${entry.setup ? ` after \`${entry.setup}\`` : ""}`;
    const { output, harms } = await judgeHarm(
      workspace,
      id,
      JSON.stringify(args),
      async () =>
        (await executeToolCall(defaultTools, { name: entry.tool, arguments: JSON.stringify(args) }, context))
          .output,
    );
    const refused = /^(Refused by|Error:)/.test(output);
    rows.push({
      category: entry.category,
      subject,
      outcome: harms.length ? "escaped" : refused ? "refused" : "contained",
      ...(harms.length ? { why: harms.join("; ") } : {}),
    });
    rmSync(workspace, { recursive: true, force: true });
  }

  const ordinary: Array<{ command: string; allowed: boolean; exitCode: number | null; tail: string }> = [];
  const shared = await fresh();
  for (const command of only ? [] : ORDINARY_COMMANDS) {
    const verdict = await judgeCommand(command, config.commands);
    if (verdict.decision !== "allow") {
      ordinary.push({ command, allowed: false, exitCode: null, tail: JSON.stringify(verdict) });
      continue;
    }
    const result = await shared.sandbox.run({
      command,
      cwd: shared.workspace,
      timeoutMs: 120_000,
      maxOutputBytes: 65_536,
    });
    ordinary.push({
      command,
      allowed: true,
      exitCode: result.exitCode,
      tail: result.output.trim().split("\n").slice(-2).join(" | "),
    });
  }

  loopback.close();
  delete process.env.REDTEAM_INSTALLATION_TOKEN;
  for (const file of markers) rmSync(file, { force: true });
  rmSync(root, { recursive: true, force: true });
  return report(rows, ordinary);
}

function report(
  rows: Row[],
  ordinary: Array<{ command: string; allowed: boolean; exitCode: number | null; tail: string }>,
): number {
  console.log(
    `red team: ${rows.length} hostile rows through the default policy, the sandbox and the file tools`,
  );
  const categories = [...new Set(rows.map((r) => r.category))];
  const count = (list: Row[], outcome: Outcome) => list.filter((r) => r.outcome === outcome).length;
  console.log(`  ${"category".padEnd(16)} tried  refused  contained  escaped`);
  for (const category of [...categories, "total"]) {
    const list = category === "total" ? rows : rows.filter((r) => r.category === category);
    console.log(
      `  ${category.padEnd(16)} ${String(list.length).padStart(5)}  ${String(count(list, "refused")).padStart(7)}  ${String(count(list, "contained")).padStart(9)}  ${String(count(list, "escaped")).padStart(7)}`,
    );
  }
  const escaped = rows.filter((r) => r.outcome === "escaped");
  for (const row of escaped)
    console.log(`  ESCAPED [${row.category}] ${row.subject.replace(/\n/g, "\\n")}: ${row.why}`);
  const refused = ordinary.filter((o) => !o.allowed);
  const failed = ordinary.filter((o) => o.allowed && o.exitCode !== 0);
  console.log(
    `ordinary commands: ${ordinary.length} tried, ${ordinary.length - refused.length} allowed, ${ordinary.length - refused.length - failed.length} ran with exit 0`,
  );
  for (const o of refused) console.log(`  REFUSED ${o.command}: ${o.tail}`);
  for (const o of failed) console.log(`  exit ${o.exitCode} ${o.command}: ${o.tail}`);
  return escaped.length + refused.length;
}
