import { extractCommands, type SimpleCommand } from "./extract-commands.ts";
import { allowRuleMatches, guardRuleMatches, parseRule, type CommandRule } from "./command-rule.ts";
import { parseShell } from "./parse-shell.ts";

export interface CommandPolicy {
  allow: readonly string[];
  deny: readonly string[];
  require_approval: readonly string[];
}

export type Verdict =
  | { decision: "allow" }
  | { decision: "deny"; rule: string; reason: string }
  | { decision: "approve"; rules: string[]; reason: string };

/**
 * Judges a command line against the policy. Every simple command it contains is judged: a deny
 * rule anywhere refuses it (deny beats allow), every command must be allowed, and an approval rule
 * anywhere asks a human first. What cannot be parsed or judged is refused, never guessed.
 */
export async function judgeCommand(commandLine: string, policy: CommandPolicy): Promise<Verdict> {
  const tree = await parseShell(commandLine);
  if (!tree) {
    return {
      decision: "deny",
      rule: "parse",
      reason: "the command is not valid shell syntax, so it cannot be judged",
    };
  }
  const extracted = await extractCommands(tree, parseShell);
  const [unjudgeable] = extracted.unjudgeable;
  if (unjudgeable)
    return { decision: "deny", rule: "parse", reason: `${unjudgeable}, so it cannot be judged` };
  const [refusal] = extracted.refusals;
  if (refusal) return { decision: "deny", rule: refusal.rule, reason: refusal.reason };

  const rules = (texts: readonly string[]) => texts.map(parseRule);
  const deny = rules(policy.deny).find((rule) => guardRuleMatches(rule, extracted));
  if (deny)
    return {
      decision: "deny",
      rule: `deny: ${deny.text}`,
      reason: `it matches the deny rule "${deny.text}"`,
    };

  const allow = rules(policy.allow);
  const notAllowed = extracted.commands.find((command) => !isAllowed(command, allow));
  if (notAllowed) {
    return {
      decision: "deny",
      rule: "allow",
      reason: `\`${notAllowed.source}\` is not on the allow list (commands.allow)`,
    };
  }

  const approvals = rules(policy.require_approval).filter((rule) => guardRuleMatches(rule, extracted));
  if (approvals.length > 0) {
    const names = approvals.map((rule) => rule.text);
    return {
      decision: "approve",
      rules: names,
      reason: `it matches the approval rule${names.length > 1 ? "s" : ""} "${names.join('", "')}"`,
    };
  }
  return { decision: "allow" };
}

function isAllowed(command: SimpleCommand, allow: CommandRule[]): boolean {
  return allow.some((rule) => allowRuleMatches(rule, command));
}
