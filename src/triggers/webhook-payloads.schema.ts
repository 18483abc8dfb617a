import { z } from "zod";

/** The webhook fields issue-agent relies on. Anything else in the payload is ignored. */
const sender = z.object({ login: z.string().min(1), type: z.string() });
const repository = z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) });
const installation = z.object({ id: z.int() }).optional();
const issue = z.object({
  number: z.int().positive(),
  state: z.string(),
  pull_request: z.unknown().optional(),
});

export const issuesLabeledPayload = z.object({
  action: z.literal("labeled"),
  label: z.object({ name: z.string() }),
  issue,
  repository,
  sender,
  installation,
});

export const issueCommentCreatedPayload = z.object({
  action: z.literal("created"),
  comment: z.object({ id: z.int(), body: z.string().nullable() }),
  issue,
  repository,
  sender,
  installation,
});

/** A click on the check run's Re-run link or one of its buttons (see check-run-actions.ts). */
export const checkRunActionPayload = z.object({
  action: z.enum(["rerequested", "requested_action"]),
  check_run: z.object({ id: z.int(), external_id: z.string().nullable().optional() }),
  requested_action: z.object({ identifier: z.string() }).optional(),
  repository,
  sender,
  installation,
});

/** A review of a pull request; one on the agent's own pull request may start a follow-up job. */
export const pullRequestReviewSubmittedPayload = z.object({
  action: z.literal("submitted"),
  review: z.object({ id: z.int(), state: z.string(), body: z.string().nullable() }),
  pull_request: z.object({
    number: z.int().positive(),
    state: z.string(),
    head: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ repo: z.object({ full_name: z.string() }) }),
  }),
  repository,
  sender,
  installation,
});

const agentPullRequest = z.object({
  number: z.int().positive(),
  head: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ repo: z.object({ full_name: z.string() }) }),
});

export const pullRequestClosedPayload = z.object({
  action: z.literal("closed"),
  pull_request: agentPullRequest.extend({ merged: z.boolean().nullable().optional() }),
  repository,
  sender,
  installation,
});

export const checkSuiteCompletedPayload = z.object({
  action: z.literal("completed"),
  check_suite: z.object({
    conclusion: z.string().nullable().optional(),
    head_sha: z.string(),
    pull_requests: z.array(
      z.object({
        number: z.int().positive(),
        head: z.object({ ref: z.string() }),
        base: z.object({ ref: z.string() }).optional(),
      }),
    ),
  }),
  repository,
  sender,
  installation,
});

export type PullRequestReviewSubmittedPayload = z.infer<typeof pullRequestReviewSubmittedPayload>;
export type CheckRunActionPayload = z.infer<typeof checkRunActionPayload>;
export type IssuesLabeledPayload = z.infer<typeof issuesLabeledPayload>;
export type IssueCommentCreatedPayload = z.infer<typeof issueCommentCreatedPayload>;
