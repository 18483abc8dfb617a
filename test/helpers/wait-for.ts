/**
 * Waits until `condition` holds, for what happens while a job or a process runs: tests wait for
 * the event they need, never for a fixed time. The condition may be async, and may throw to fail
 * at once (e.g. when the process it waits on has exited).
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
