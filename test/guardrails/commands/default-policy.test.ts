import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../src/config/parse-agent-config.ts";
import { judgeCommand } from "../../../src/guardrails/commands/judge-command.ts";

// The policy a repository without `.github/agent.yml` gets: what most jobs run under.
const policy = parseAgentConfig(undefined).commands;

describe("the default command policy", () => {
  it.each([
    "git add -A",
    "git add --all",
    "cat adapter.ts",
    "ls issues/",
    "grep address src/*.ts",
    "grep -rn dd src",
    "cat sudoers.md",
    "git status --short",
    "git commit -m 'push the fix, use sudo in the docs'",
    "git log --follow -- src/app.ts",
    "find . -depth -type l",
    "git -c user.name=a -c user.email=a@b commit -m x",
    "GIT_AUTHOR_NAME=a git commit -m x",
    "npm run build",
    "npm pack --dry-run",
    "python3 -m pytest -q",
    "pip list",
    "rm -r build",
  ])("allows %j", async (command) => {
    await expect(judgeCommand(command, policy)).resolves.toEqual({ decision: "allow" });
  });

  it.each([
    ["env -S 'rm -rf /'", "deny: rm -rf"],
    ["env --split-string='sudo id'", "deny: sudo"],
    ["env -iS'rm -rf /'", "deny: rm -rf"],
    ["env --split 'rm -rf /'", "deny: rm -rf"],
    ["git -c alias.x=push x origin HEAD", "git-config"],
    ["git -c core.pager='sh -c id' log", "git-config"],
    ["git --config-env=core.editor=ED commit", "git-config"],
    ["git --exec-path=/tmp/bin push", "git-config"],
    ["GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0=push git x", "git-config"],
    ["env GIT_SSH_COMMAND=id git fetch", "git-config"],
    ["export GIT_EXEC_PATH=/tmp; git status", "git-config"],
    ["$CMD -rf /", "parse"],
    ["$(echo rm) -rf /", "parse"],
    ["`echo sudo` id", "parse"],
    ["git push origin +HEAD:main", "deny: git push --force"],
    ["git push --forc origin HEAD", "deny: git push --force"],
    ["git push --force-with-lease origin HEAD", "deny: git push --force"],
    ["git push -fu origin HEAD", "deny: git push --force"],
    ["git -C . push --mirror", "deny: git push --force"],
    ["git send-pack --force origin main", "deny: git push --force"],
    ["rm --recursive --force /", "deny: rm -rf"],
    ["rm --rec --for x", "deny: rm -rf"],
    ["F=-rf; rm $F /", "deny: rm -rf"],
    ["psql -c 'DROP DATABASE prod'", "deny: DROP DATABASE"],
    ["psql -c 'drop/**/database prod'", "deny: DROP DATABASE"],
    ["psql <<EOF\nDROP DATABASE prod;\nEOF", "deny: DROP DATABASE"],
    ["echo 'truncate table users' | psql", "deny: TRUNCATE TABLE"],
    ["timeout --sig KILL 5 sudo id", "deny: sudo"],
    ["dd if=/dev/zero of=x", "deny: dd"],
  ])("refuses %j by the %s rule", async (command, rule) => {
    await expect(judgeCommand(command, policy)).resolves.toMatchObject({ decision: "deny", rule });
  });

  it.each([
    ["git send-pack origin main", "git push"],
    ["git push origin HEAD", "git push"],
    ["npm pub", "npm publish"],
    ["npm publ --access public", "npm publish"],
    ["npm --otp 123456 publish", "npm publish"],
    ["yarn publish", "yarn publish"],
    ["yarn npm publish", "yarn publish"],
    ["pnpm publish --no-git-checks", "pnpm publish"],
    ["npx npm publish", "npm publish"],
    ["python3 -m pip install requests", "pip install"],
    ["python -m pip --quiet install requests", "pip install"],
    ["python3 -mpip install x", "pip install"],
    ["pip3 install x", "pip install"],
    ["uv pip install x", "pip install"],
    ['git "$SUB" origin', "git push"],
    // An argument computed at run time could be the rule's word: conservative, so write it out.
    ['for f in a b; do git add "$f"; done', "git push"],
  ])("asks for approval for %j (%s)", async (command, rule) => {
    const verdict = await judgeCommand(command, policy);
    expect(verdict).toMatchObject({ decision: "approve" });
    expect(verdict.decision === "approve" && verdict.rules).toContain(rule);
  });
});
