import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** The job's log lines for a person at a terminal: warnings and errors, one line each, no stacks. */
export function terminalLog(print: (line: string) => void): Logger {
  const line = (level: string, obj: object, msg: string) => {
    const err = (obj as { err?: unknown }).err;
    print(`${level}: ${msg}${err === undefined ? "" : `: ${describeError(err)}`}`);
  };
  return {
    info: () => undefined,
    warn: (obj, msg) => line("warning", obj, msg),
    error: (obj, msg) => line("error", obj, msg),
  };
}
