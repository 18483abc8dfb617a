/** A human's decision on a command that needs approval. */
export type ApprovalAnswer = { decision: "approved" | "denied"; by: string } | { decision: "timed out" };

/**
 * The decision on a command, when one is at hand: given in a local run's terminal, or carried into
 * a job resumed after its approval request was answered. Undefined means nobody has decided yet:
 * on GitHub the job then pauses and asks (see src/pipeline/park.ts).
 */
export type ApprovalSource = (command: string, reason: string) => Promise<ApprovalAnswer | undefined>;
