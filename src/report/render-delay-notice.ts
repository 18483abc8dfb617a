/**
 * The one comment a job gets when a limit holds it back before it starts (scale-out only), so the
 * issue does not sit silent: what holds it, and when it is tried again.
 */
export function delayNotice(reason: string, retryAt: Date): string {
  const at = retryAt.toISOString().slice(11, 16);
  return [
    `issue-agent has queued this issue: ${reason}.`,
    `It will try again at about ${at} UTC and start by itself; nothing needs to be done. The status comment appears once it starts.`,
  ].join(" ");
}
