import { describe, expect, it } from "vitest";
import { runLabeledJob } from "../helpers/run-labeled-job.ts";
import { call, type RecordedRequest, type ScriptedTurn } from "../helpers/scripted-model-server.ts";

describe("a model endpoint that is busy or failing for a moment", () => {
  it("is asked again after a 429 (honouring retry-after) and a 503, and the job goes on", async () => {
    const times: number[] = [];
    const timed =
      (turn: ScriptedTurn) =>
      (_request: RecordedRequest): ScriptedTurn => {
        times.push(Date.now());
        return turn;
      };
    const { h, record } = await runLabeledJob(
      [
        timed({
          status: 429,
          body: { error: { message: "Rate limit reached" } },
          headers: { "retry-after": "1" },
        }),
        timed({ status: 503, body: { error: { message: "Overloaded" } } }),
        timed(call("give_up", { reason: "Answered after the retries." })),
      ],
      { extraComments: 1 },
    );
    expect(h.model.requests).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950); // retry-after: 1 second
    expect(record.comments.at(-1)!.body).toContain("Answered after the retries.");
  });
});
