import { codeTokens } from "./code-tokens.ts";

/** One changed file of a step: its text on the step's base and at its head (absent: added or deleted). */
export interface FileVersions {
  path: string;
  before: string | undefined;
  after: string | undefined;
}

export type BehaviourVerdict = { unchanged: true } | { unchanged: false; because: string };

/**
 * Whether a step provably cannot change what the code does: every changed file is one whose
 * comments, whitespace or formatting alone differ, proved by parsing both versions with a real
 * parser and comparing the programs' tokens with comments and layout removed. Anything that cannot
 * be proved counts as a behaviour change: an added, deleted or renamed file, a language without a
 * grammar here (JavaScript, TypeScript and Python have one), a file that does not parse, and a
 * changed string (Python docstrings included: `__doc__` is visible at run time).
 */
export async function behaviourUnchanged(files: readonly FileVersions[]): Promise<BehaviourVerdict> {
  if (files.length === 0) return { unchanged: false, because: "nothing changed" };
  for (const file of files) {
    const verdict = await fileUnchanged(file);
    if (!verdict.unchanged) return verdict;
  }
  return { unchanged: true };
}

async function fileUnchanged({ path, before, after }: FileVersions): Promise<BehaviourVerdict> {
  if (before === undefined || after === undefined)
    return { unchanged: false, because: `\`${path}\` is ${before === undefined ? "added" : "deleted"}` };
  if (before === after) return { unchanged: true };
  // Python rejects indentation that mixes tabs and spaces inconsistently (TabError), which its
  // syntax tree does not show; new tabs in indentation are therefore not proved harmless.
  if (/\.py$/i.test(path) && /^[ ]*\t/m.test(after) && !/^[ ]*\t/m.test(before))
    return { unchanged: false, because: `\`${path}\` now indents with tabs` };
  const [old, next] = await Promise.all([codeTokens(path, before), codeTokens(path, after)]);
  if (!old || !next)
    return { unchanged: false, because: `\`${path}\` is in no supported language or does not parse` };
  if (old.length !== next.length || old.some((token, i) => token !== next[i]))
    return { unchanged: false, because: `\`${path}\` changes code, not only comments or layout` };
  return { unchanged: true };
}
