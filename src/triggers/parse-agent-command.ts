import { AGENT_VERBS, type AgentCommand, type AgentVerb } from "../jobs/agent-command.ts";

export { AGENT_VERBS, type AgentCommand, type AgentVerb };

/**
 * An `/agent …` command: the comment's first non-blank line must start with `/agent` (then a
 * space or the end of the line). A quoted line (`> /agent stop`) or a code block starts with
 * another character, so neither is ever a command. A sub-command stands alone on its line; a
 * single other word alone in the comment is taken for a mistyped sub-command, since instructions
 * are sentences.
 */
export function parseAgentCommand(body: string | null): AgentCommand | undefined {
  if (!body) return undefined;
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first === -1) return undefined;
  const match = /^\/agent(?:\s+(.*))?$/.exec(lines[first]!.trim());
  if (!match) return undefined;
  const rest = (match[1] ?? "").trim();
  const more = lines
    .slice(first + 1)
    .join("\n")
    .trim();
  const word = rest.toLowerCase();
  const waiver = /^skip-tests(?:\s+([\s\S]*))?$/i.exec(rest);
  if (waiver)
    return { verb: "skip-tests", instructions: [waiver[1]?.trim(), more].filter(Boolean).join("\n") };
  if ((AGENT_VERBS as readonly string[]).includes(word)) return { verb: word as AgentVerb };
  if (/^[a-z][\w-]*$/i.test(rest) && more === "") return { verb: "unknown", word: rest };
  return { verb: "start", instructions: [rest, more].filter(Boolean).join("\n") };
}
