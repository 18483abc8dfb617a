/**
 * What the app's code logs through: Probot's and pino's loggers have this shape, and the local
 * run's terminal log implements it. One type for the whole codebase, so any logger fits anywhere.
 */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
