import { describe, expect, it } from "vitest";
import { DIFF_LIMIT_ADVICE, judgeDiffSize } from "../../src/gates/diff-size-gate.ts";

type Files = Array<{ path: string; added: number; removed: number }>;

const cases: Array<{ name: string; files: Files; max: number; status: "passed" | "failed"; detail: string }> =
  [
    { name: "an empty change", files: [], max: 10, status: "passed", detail: "0 of at most 10 lines" },
    {
      name: "added plus removed, at the limit",
      files: [{ path: "a.js", added: 300, removed: 200 }],
      max: 500,
      status: "passed",
      detail: "500 of at most 500 lines",
    },
    {
      name: "one line over, summed across files",
      files: [
        { path: "a.js", added: 300, removed: 150 },
        { path: "b.js", added: 51, removed: 0 },
      ],
      max: 500,
      status: "failed",
      detail: "the change is 501 lines; the limit is 500 (`gates.max_diff_lines`) — deliver it as steps",
    },
    {
      name: "removals count like additions",
      files: [{ path: "old.js", added: 0, removed: 11 }],
      max: 10,
      status: "failed",
      detail: "the change is 11 lines; the limit is 10 (`gates.max_diff_lines`) — deliver it as steps",
    },
  ];

describe("judgeDiffSize: the one place the diff limit is decided", () => {
  it.each(cases)("$name: $status", ({ files, max, status, detail }) => {
    const verdict = judgeDiffSize(files, max);
    expect(verdict.gate).toMatchObject({ gate: "diff size", status, detail });
    // Delivery refuses exactly the steps the gate fails, with the message the model reads.
    if (status === "passed") expect(verdict.refusal).toBeUndefined();
    else {
      expect(verdict.refusal).toBe(
        [
          `The diff size gate failed: ${detail}.`,
          `Changed: ${files.map((f) => `${f.path} (+${f.added} −${f.removed})`).join(", ")}.`,
          DIFF_LIMIT_ADVICE,
        ].join("\n"),
      );
      expect(verdict.gate.files).toEqual(
        files.map((f) => ({ path: f.path, message: `+${f.added} −${f.removed}` })),
      );
    }
  });
});
