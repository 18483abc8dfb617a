/**
 * A local run that cannot start: bad arguments or a missing model. Raised before any clone or
 * model call, so nothing was spent; the command prints the message as one line and exits 2.
 */
export class CannotStart extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CannotStart";
  }
}
