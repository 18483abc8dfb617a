/**
 * Whether the work went through: for the checks where failing is an answer, not an error (the
 * file is there, the rename took, git has the object).
 */
export function succeeded(work: Promise<unknown>): Promise<boolean> {
  return work.then(
    () => true,
    () => false,
  );
}
