import type { InboxItem } from "../jobs/job-inbox.ts";
import type { Job } from "../jobs/job.ts";
import { wake, wakeIfPausedSince } from "../jobs/waiting-jobs.ts";
import type { TriggerDependencies } from "./intake-context.ts";

/**
 * Hands a maintainer's stop, message, approval answer or waiver to the active job. A job
 * waiting for a human runs nowhere, so one that waits for this kind of answer is queued to go on;
 * a job seen running may have paused meanwhile without seeing the item, and is then woken too.
 */
export async function deliverToJob(
  active: Job,
  what: Omit<InboxItem, "at">,
  deps: Pick<TriggerDependencies, "store" | "queue" | "inbox">,
): Promise<void> {
  const item: InboxItem = { ...what, at: new Date().toISOString() };
  await deps.inbox.post(active.id, item);
  if (active.state === "running") {
    await wakeIfPausedSince(active.id, item, deps);
    return;
  }
  if (active.state !== "waiting_for_human") return;
  // A waiver while the job waits for approval is only recorded; the decision wakes it.
  if (item.kind === "waiver" && active.waiting?.approval) return;
  const why = {
    stop: `stop requested by @${item.by}`,
    message: `answered by @${item.by}`,
    approval: `${item.text} by @${item.by}`,
    waiver: `answered by @${item.by} (test-first waived)`,
  }[item.kind];
  await wake(active, why, deps);
}
