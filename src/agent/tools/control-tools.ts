import { z } from "zod";
import { defineTool } from "./tool.ts";

export const updatePlanTool = defineTool({
  name: "update_plan",
  description:
    "State or revise your plan as a short list of steps with their status. Call it before you start and whenever a step is done; maintainers watch it live.",
  parameters: z.object({
    steps: z
      .array(
        z.object({ title: z.string().min(1).max(200), status: z.enum(["pending", "in_progress", "done"]) }),
      )
      .min(1)
      .max(20),
  }),
  async run(args, context) {
    context.log.setPlan(args.steps.map((s) => ({ title: context.redact(s.title), status: s.status })));
    return { output: "plan updated" };
  },
});

export const finishTool = defineTool({
  name: "finish",
  description:
    "Call when the change is complete and tested. The title, summary and rationale become the pull request; explain why you chose this approach and what you considered.",
  parameters: z.object({
    title: z.string().min(1).max(120).describe("Pull request title, imperative mood."),
    summary: z.string().min(1).max(5_000).describe("What changed, for a reviewer."),
    rationale: z.string().min(1).max(10_000).describe("Why this approach; alternatives considered; risks."),
  }),
  async run(args) {
    return { output: "finished", outcome: { kind: "finished", ...args } };
  },
});

export const giveUpTool = defineTool({
  name: "give_up",
  description:
    "Call when the issue cannot or should not be solved by you (unclear, too large, needs a human decision). Explain why; no pull request is opened.",
  parameters: z.object({ reason: z.string().min(1).max(5_000) }),
  async run(args) {
    return { output: "stopping", outcome: { kind: "gave_up", reason: args.reason } };
  },
});
