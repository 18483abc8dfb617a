/**
 * A rule of the harness refused an action. The agent sees the message as its tool result and can
 * adjust; the refusal is recorded for the check run.
 */
export class GuardrailViolation extends Error {
  readonly rule: string;
  /** What was refused: the command line or the path. */
  readonly subject: string;
  constructor(rule: string, message: string, subject: string) {
    super(message);
    this.name = "GuardrailViolation";
    this.rule = rule;
    this.subject = subject;
  }
}
