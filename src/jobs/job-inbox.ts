/**
 * What a maintainer sends a job while it runs: a stop request or a message that steers the agent.
 * Kept apart from the job record, which the running job rewrites, and in the shared store, so it
 * reaches the job on whichever process runs it.
 */
export interface InboxItem {
  /**
   * `approval`: the answer to a pending approval request, `approved` or `denied` in `text`.
   * `waiver`: test-first waived for the job (`/agent skip-tests`), with any instructions in `text`.
   */
  kind: "stop" | "message" | "approval" | "waiver";
  /** Login of the maintainer who sent it. */
  by: string;
  /** The message; empty for a stop request; the decision for an approval. */
  text: string;
  at: string;
}

/** Whether an inbox item answers a pause that began at `since` with one of `kinds`. */
export function answersPause(
  item: InboxItem,
  since: string,
  kinds: ReadonlyArray<InboxItem["kind"]>,
): boolean {
  return item.at >= since && kinds.includes(item.kind);
}

export interface JobInbox {
  post(jobId: string, item: InboxItem): Promise<void>;
  /** The items posted since the last call, oldest first; each is returned to one caller once. */
  take(jobId: string): Promise<InboxItem[]>;
}
