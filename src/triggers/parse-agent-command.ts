/**
 * An `/agent …` command: the comment's first line must start with `/agent` (then a space or the end
 * of the line). The rest of the comment is the maintainer's extra instructions.
 */
export function parseAgentCommand(body: string | null): { instructions: string } | undefined {
  if (!body) return undefined;
  const normalized = body.replace(/\r\n?/g, "\n");
  const newline = normalized.indexOf("\n");
  const firstLine = (newline === -1 ? normalized : normalized.slice(0, newline)).trim();
  const match = /^\/agent(?:\s+(.*))?$/.exec(firstLine);
  if (!match) return undefined;
  const rest = newline === -1 ? "" : normalized.slice(newline + 1);
  const instructions = [match[1] ?? "", rest].join("\n").trim();
  return { instructions };
}
