const MAX_DETAIL = 100;

/**
 * One line for a tool call, as the terminal shows it while the agent works: the tool and what it
 * acts on (a path, a command, a plan), never the file contents it writes.
 */
export function describeToolCall(name: string, args: Record<string, unknown>): string {
  return `${name} ${detailOf(name, args)}`.trim();
}

function detailOf(name: string, args: Record<string, unknown>): string {
  const text = (key: string) => (typeof args[key] === "string" ? (args[key] as string) : "");
  switch (name) {
    case "run_command":
      return oneLine(text("command"));
    case "search_files":
      return oneLine(`${text("pattern")}${args.path ? ` in ${text("path")}` : ""}`);
    case "list_files":
      return oneLine(`${text("path") || "."}${args.glob ? ` ${text("glob")}` : ""}`);
    case "update_plan":
      return oneLine(planOf(args.steps));
    case "commit_step":
    case "finish":
      return oneLine(text("title"));
    case "give_up":
      return oneLine(text("reason"));
    case "ask_question":
      return oneLine(text("question"));
    default:
      return oneLine(text("path"));
  }
}

function planOf(steps: unknown): string {
  if (!Array.isArray(steps)) return "";
  const list = steps as Array<{ title: string; status: string }>;
  const current = list.find((step) => step.status === "in_progress");
  const done = list.filter((step) => step.status === "done").length;
  return `${done} of ${list.length} steps done${current ? `; now: ${current.title}` : ""}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
