/**
 * Waits for all of them, then throws the first failure: the work on a job's directories must all
 * have stopped before a failure reaches the clean-up that removes them.
 */
export async function allSettled(work: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
  const failure = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}
