import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSTALLATION_TOKEN } from "../helpers/e2e-harness.ts";
import { runLabeledJob, toolResult } from "../helpers/run-labeled-job.ts";
import { fixGreeting, testGreeting } from "../helpers/greeting-script.ts";
import { call } from "../helpers/scripted-model-server.ts";

/**
 * A hostile model (or a poisoned repository) attacking the app's host through git and the file
 * tools. Every route runs through the real app: real git, the real bubblewrap sandbox, the real
 * tools. The host directory `outside` stands for everything beyond the workspace.
 */

let outside: string;
beforeEach(() => {
  outside = mkdtempSync(path.join(os.tmpdir(), "ia-host-"));
});
afterEach(() => rmSync(outside, { recursive: true, force: true }));

const giveUp = call("give_up", { reason: "The guardrails refused it." });
const finish = (title = "Do it") => call("finish", { title, summary: "Done.", rationale: "Asked." });
const basicToken = Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64");

describe("an embedded repository", () => {
  it("never runs its core.fsmonitor on the host; the paths gate refuses it and the job ends cleanly", async () => {
    const marker = path.join(outside, "pwned");
    const plant = call("run_command", {
      command: `mkdir pkg2 && cd pkg2 && git init -q && git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x && printf '[core]\\n\\tfsmonitor = env > ${marker}; false\\n' >> .git/config && echo y > f`,
    });
    // The command policy refuses `git config core.fsmonitor`; writing the file directly reaches the
    // host's git all the same, so that is what the host-side defence must hold against.
    const { h, record } = await runLabeledJob([plant, fixGreeting, testGreeting, finish(), giveUp], {
      extraComments: 1,
    });
    // The command policy refuses `git config core.fsmonitor`; writing the file directly reaches the
    // host's git all the same, so this is what the host-side defence must hold against.
    // Before the fix the hook ran on the host, with the token's header in its environment.
    const leaked = existsSync(marker) ? readFileSync(marker, "utf8") : "";
    expect(leaked.includes(basicToken) ? "the token reached the hook" : leaked).toBe("");
    expect(toolResult(h, 4)).toContain("The paths gate failed: `pkg2`: an embedded git repository");
    expect(record.pulls).toEqual([]);
    expect(record.checkRunUpdates.at(-1)).toMatchObject({ status: "completed" });
    expect(record.checkRunUpdates.at(-1)!.conclusion).not.toBe("failure");
  });

  it("refuses a nested .git file that points elsewhere, and a .GIT directory, without failing the job", async () => {
    const { h, record } = await runLabeledJob(
      [
        call("run_command", {
          command: "mkdir -p lib/.GIT && echo x > lib/.GIT/config && echo y > lib/a.js",
        }),
        finish(),
        call("run_command", {
          command: "rm -r lib && echo z > a.js && mkdir nest && echo 'gitdir: /tmp' > nest/.git",
        }),
        finish(),
        giveUp,
      ],
      { extraComments: 1 },
    );
    expect(toolResult(h, 2)).toContain("`lib/.GIT`: an embedded git repository");
    expect(toolResult(h, 4)).toContain("`nest/.git`: an embedded git repository");
    expect(record.checkRunUpdates.at(-1)!.conclusion).not.toBe("failure");
  });
});

describe("the file tools and links", () => {
  it("never write through a dangling link or a link that leaves the workspace", async () => {
    const target = path.join(outside, "x");
    const { h } = await runLabeledJob(
      [
        call("run_command", {
          command: `ln -s ${target} notes.txt && ln -s ${outside} out && ln -s .git/commondir cdl && ln -s .GIT/config up`,
        }),
        call("write_file", { path: "notes.txt", content: "planted" }),
        call("write_file", { path: "out/y", content: "planted" }),
        call("write_file", { path: "cdl", content: "/tmp/evil" }),
        call("edit_file", { path: "up", old_string: "a", new_string: "b" }),
        call("write_file", { path: ".GIT/hooks/post-commit", content: "#!/bin/sh\n" }),
        giveUp,
      ],
      { extraComments: 1 },
    );
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.join(outside, "y"))).toBe(false);
    expect(toolResult(h, 2)).toContain("Refused by the path rule");
    expect(toolResult(h, 2)).toContain("notes.txt");
    expect(toolResult(h, 3)).toContain("Refused by the path rule");
    expect(toolResult(h, 4)).toContain("Refused by the path rule");
    expect(toolResult(h, 5)).toContain("Refused by the path rule");
    expect(toolResult(h, 6)).toContain("Refused by the path rule");
  });

  it("reads a huge sparse file without loading it, and refuses with its size", async () => {
    const { h } = await runLabeledJob(
      [
        call("run_command", {
          command: "truncate -s 3G big.log && mkdir -p d && ln -s /nonexistent/dir d/gone",
        }),
        call("read_file", { path: "big.log" }),
        call("read_file", { path: "d/gone/x" }),
        call("list_files", { path: "d" }),
        giveUp,
      ],
      {
        extraComments: 1,
        // The sandbox's file-size limit would stop `truncate`; a repository may hold such a file anyway.
        config: 'commands:\n  allow: ["truncate", "ln", "mkdir"]\nsandbox:\n  max_file_size_mb: 4096\n',
      },
    );
    expect(toolResult(h, 2)).toMatch(/big\.log is 3\.0 GB/);
    expect(toolResult(h, 3)).toContain("Refused by the path rule");
  });
});

describe("names git would quote", () => {
  it('are judged by their real name: a forbidden ké.pem, a."b.key and .ENV never pass the paths gate', async () => {
    const { h, record } = await runLabeledJob(
      [
        call("run_command", { command: `echo k > 'ké.pem' && echo k > 'a"b.key' && echo x > .ENV` }),
        testGreeting,
        fixGreeting,
        finish(),
        giveUp,
      ],
      { extraComments: 1 },
    );
    const result = toolResult(h, 4);
    expect(result).toContain("The paths gate failed");
    expect(result).toContain("`ké.pem`: Changed a path that is forbidden");
    expect(result).toContain('`a"b.key`: Changed a path that is forbidden');
    expect(result).toContain("`.ENV`: Changed a path that is forbidden");
    expect(record.pulls).toEqual([]);
  });
});

describe("history in the sandbox", () => {
  it("never serves a forbidden file's content, by any git route", async () => {
    const secret = "correct-horse-battery-staple";
    const { h } = await runLabeledJob(
      [
        call("run_command", {
          command:
            "git show HEAD:.env; git cat-file -p HEAD:.env; git log -p | cat; git grep -h horse HEAD; git archive --format=tar HEAD | cat; git cat-file --batch-all-objects --batch | cat; git status --short",
        }),
        giveUp,
      ],
      { extraComments: 1, files: { ".env": `TOKEN=${secret}\n`, "src/a.js": "export const a = 1;\n" } },
    );
    const output = toolResult(h, 1);
    expect(output).not.toContain(secret);
    expect(output).not.toContain("horse");
    // Ordinary history commands still work in the sandbox.
    expect(output).toContain("src/a.js");
  });
});
