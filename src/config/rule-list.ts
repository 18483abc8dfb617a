import { z } from "zod";

/** `…` or `...`: what an example leaves out, copied as if it were a rule. */
const PLACEHOLDER = /^\s*(\.\.\.|…)\s*$/;

/** One entry of a rule list: never empty, never a placeholder copied from an example. */
export const ruleEntry = z
  .string()
  .min(1)
  .refine((entry) => !PLACEHOLDER.test(entry), {
    error:
      "is a placeholder from an example, not a rule: list the rules themselves, or write `{ extend: [...] }` to add rules to the defaults",
  });

/**
 * A list of rules with defaults. A plain list replaces the defaults (so a repository can narrow
 * them); `{ extend: [...] }` keeps every default and adds to it, so adding one deny rule does not
 * mean restating the other twenty.
 */
export function ruleList(defaults: readonly string[]) {
  return (
    z
      .union(
        [
          z.array(ruleEntry),
          z.strictObject({
            extend: z
              .array(ruleEntry)
              .describe(
                "Written instead of a list: rules added to the defaults, which all stay (a plain list replaces them).",
              ),
          }),
        ],
        {
          error: "must be a list of rules (replacing the defaults) or `{ extend: [rules] }` (adding to them)",
        },
      )
      // The default sits on the input side, so the published schema and reference show it.
      .default([...defaults])
      .transform((value) => (Array.isArray(value) ? value : [...defaults, ...value.extend]))
  );
}
