import { answersPause, type InboxItem, type JobInbox } from "./job-inbox.ts";
import type { Job } from "./job.ts";
import type { JobStore } from "./job-store.ts";

/**
 * What answers a pause: a message (or a test-first waiver) answers a question, `/agent approve`
 * or `deny` an approval request, and `/agent stop` ends either. Every inbox item comes from
 * someone whose write access the intake checked.
 */
export function answerKinds(approval: boolean): Array<InboxItem["kind"]> {
  return approval ? ["approval", "stop"] : ["message", "waiver", "stop"];
}

/** The first item that answers a pause begun at `since`, taken out of `items`; none: unanswered. */
export function takeAnswer(
  items: InboxItem[],
  since: string,
  kinds: ReadonlyArray<InboxItem["kind"]>,
): InboxItem | undefined {
  const index = items.findIndex((item) => answersPause(item, since, kinds));
  return index === -1 ? undefined : items.splice(index, 1)[0];
}

/**
 * Commits a pause: the items the running job read but did not use go back into its inbox (so
 * the resumed run sees them, an answer sent while the job was pausing among them), then the job is
 * saved as waiting unless an answer is already there. Returns false when the job must go on now.
 */
export async function commitPause(
  job: Job & { waiting: NonNullable<Job["waiting"]> },
  unread: readonly InboxItem[],
  deps: { store: JobStore; inbox: JobInbox },
): Promise<boolean> {
  // An approval answers only the request it was sent for: older ones are spent or stray.
  const kept = unread.filter((item) => item.kind !== "approval" || item.at >= job.waiting.askedAt);
  for (const item of kept.sort((a, b) => a.at.localeCompare(b.at))) await deps.inbox.post(job.id, item);
  const kinds = answerKinds(job.waiting.approval !== undefined);
  return deps.store.parkUnlessAnswered(job, job.waiting.askedAt, kinds);
}
