const MAX_COMMAND_IN_COMMENT = 2_000;

/** A command as a comment shows it: long ones are cut. */
export function shortCommand(command: string): string {
  return command.length > MAX_COMMAND_IN_COMMENT ? `${command.slice(0, MAX_COMMAND_IN_COMMENT)}…` : command;
}
