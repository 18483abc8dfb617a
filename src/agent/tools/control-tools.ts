import { z } from "zod";
import { defineTool, ToolError } from "./tool.ts";
import { formatCount } from "../../format-count.ts";

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
    context.log.setPlan(args.steps.map((s) => ({ title: context.publishable(s.title), status: s.status })));
    return { output: "plan updated" };
  },
});

const stepFields = {
  title: z.string().min(1).max(120).describe("Pull request title for this step, imperative mood."),
  summary: z.string().min(1).max(5_000).describe("What this step changes, for a reviewer."),
};

export const commitStepTool = defineTool({
  name: "commit_step",
  description:
    "Deliver part of the work as one atomic step (its own pull request, stacked on the previous step). Use it when the whole change would exceed the diff limit. The step must stand on its own: it includes its tests and passes every gate (paths, diff size, lint, test-first). Without `paths`, all current changes form the step.",
  parameters: z.object({
    ...stepFields,
    paths: z
      .array(z.string().min(1))
      .optional()
      .describe("Files or directories that make up this step; the rest stays for later steps."),
  }),
  async run(args, context) {
    const result = await context.delivery.deliver({
      ...args,
      title: context.publishable(args.title),
      summary: context.publishable(args.summary),
      final: false,
    });
    if (!result.ok) throw new ToolError(result.message);
    const { step } = result;
    return {
      output: `Step ${context.log.steps.length} delivered (${formatCount(step.lines, "line")}, ${formatCount(step.files.length, "file")}); every gate passed: ${step.gates.map((g) => `${g.gate} ${g.status}`).join(", ")}.`,
    };
  },
});

export const finishTool = defineTool({
  name: "finish",
  endsRun: true,
  description:
    "Call when the work is complete and tested. Remaining changes become the last step and must pass every gate (paths, diff size, lint, test-first: tests that fail without your change and pass with it). The title, summary and rationale become the pull request; explain why you chose this approach and what you considered.",
  parameters: z.object({
    ...stepFields,
    rationale: z.string().min(1).max(10_000).describe("Why this approach; alternatives considered; risks."),
    review_replies: z
      .array(z.object({ comment_id: z.int(), reply: z.string().min(1).max(5_000) }))
      .max(100)
      .optional()
      .describe("When revising a pull request: one answer per review comment, by its id."),
  }),
  async run(args, context) {
    const title = context.publishable(args.title);
    const summary = context.publishable(args.summary);
    if (await context.delivery.hasPendingChanges()) {
      const result = await context.delivery.deliver({ title, summary, final: true });
      if (!result.ok) throw new ToolError(result.message);
    }
    return {
      output: "finished",
      outcome: {
        kind: "finished",
        title,
        summary,
        rationale: context.publishable(args.rationale),
        reviewReplies: (args.review_replies ?? []).map((r) => ({
          commentId: r.comment_id,
          body: context.publishable(r.reply),
        })),
      },
    };
  },
});

export const giveUpTool = defineTool({
  name: "give_up",
  endsRun: true,
  description:
    "Call when the issue cannot or should not be solved by you (unclear, too large, needs a human decision). Explain why; no pull request is opened.",
  parameters: z.object({ reason: z.string().min(1).max(5_000) }),
  async run(args, context) {
    return { output: "stopping", outcome: { kind: "gave_up", reason: context.publishable(args.reason) } };
  },
});

export const askQuestionTool = defineTool({
  name: "ask_question",
  endsRun: true,
  description:
    "Ask the maintainer one clarifying question when the issue is ambiguous and a wrong guess would need reverting. The job pauses until someone with write access answers; the answer comes back as this tool's result. Ask only what you cannot find out from the repository.",
  parameters: z.object({ question: z.string().min(1).max(2_000) }),
  async run(args, context) {
    return {
      output: "waiting for the maintainer's answer",
      outcome: { kind: "question", question: context.publishable(args.question) },
    };
  },
});
