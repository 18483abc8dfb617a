import { z } from "zod";
import {
  DEFAULT_ALLOW,
  DEFAULT_DENY,
  DEFAULT_FORBIDDEN,
  DEFAULT_REQUIRE_APPROVAL,
  DEFAULT_TEST_EXEMPT,
  DEFAULT_TEST_PATTERNS,
} from "./guardrail-defaults.ts";
import { ruleEntry, ruleList } from "./rule-list.ts";
import { sandboxConfigSchema } from "./sandbox-config.schema.ts";
import { toolchainConfigSchema } from "./toolchain-config.schema.ts";

/** The label that starts the agent unless `.github/agent.yml` names another. */
export const DEFAULT_TRIGGER_LABEL = "agent";

/**
 * `.github/agent.yml`: per-repository settings, read from the default branch only, merged over the
 * defaults below. Unknown keys are rejected so a typo never silently falls back to a default.
 * `scripts/write-config-schema.ts` publishes this as JSON Schema in `schema/agent-config.schema.json`.
 */
export const agentConfigSchema = z
  .strictObject({
    trigger: z
      .strictObject({
        label: z
          .string()
          .min(1)
          .max(50)
          .default(DEFAULT_TRIGGER_LABEL)
          .describe("Adding this label to an issue starts the agent on it."),
      })
      .prefault({})
      .describe("What starts work. A comment whose first line starts with `/agent` always does."),
    instructions: z
      .string()
      .max(20_000)
      .optional()
      .describe(
        "Conventions for the agent, added to what AGENTS.md, .github/copilot-instructions.md and CONTRIBUTING.md on the default branch say.",
      ),
    setup: z
      .union(
        [
          z.array(z.string().min(1)).max(20),
          z.strictObject({
            commands: z
              .array(z.string().min(1))
              .max(20)
              .optional()
              .describe(
                'Commands run in order in the sandbox before the agent\'s first turn, e.g. `["npm ci"]`. Without it they are detected from the lockfiles at the repository root; `[]` runs none.',
              ),
            timeout_minutes: z
              .number()
              .positive()
              .max(120)
              .default(15)
              .describe("Time all setup commands together may take; past it the job stops."),
            network: z
              .boolean()
              .default(true)
              .describe(
                "Whether setup commands may reach the network (package registries). The agent's own commands follow `sandbox.network`.",
              ),
          }),
        ],
        { error: "expected a list of commands, or a mapping with `commands`, `timeout_minutes`, `network`" },
      )
      // A bare list is the short form of `commands`.
      .transform((setup) =>
        Array.isArray(setup) ? { commands: setup, timeout_minutes: 15, network: true } : setup,
      )
      .prefault({})
      .describe(
        "Prepares the workspace (installs dependencies) before the agent starts: a list of commands, or a mapping with `commands`, `timeout_minutes` and `network`.",
      ),
    toolchain: toolchainConfigSchema,
    agent: z
      .strictObject({
        model: z
          .string()
          .min(1)
          .optional()
          .describe("Model name; defaults to the app's ISSUE_AGENT_MODEL setting."),
        api: z
          .enum(["chat_completions", "responses"])
          .optional()
          .describe(
            "Which OpenAI API to call: `chat_completions` (every OpenAI-compatible server) or `responses`; defaults to the app's ISSUE_AGENT_MODEL_API.",
          ),
        stream: z
          .boolean()
          .optional()
          .describe(
            "Stream the model's answers (server-sent events); defaults to the app's ISSUE_AGENT_MODEL_STREAM.",
          ),
        max_steps: z
          .int()
          .min(1)
          .max(500)
          .default(60)
          .describe("Most model turns one job may take before it stops."),
        max_minutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30)
          .describe(
            "Wall-clock limit for the agent loop, in minutes; a model call still under way at the limit is given up.",
          ),
        question_timeout_minutes: z
          .int()
          .min(1)
          .max(30 * 24 * 60)
          .default(24 * 60)
          .describe("How long a job waits for an answer to the agent's question before it stops."),
        max_tokens: z
          .int()
          .min(1_000)
          .default(2_000_000)
          .describe("Most tokens (prompt + completion, summed over all model calls) one job may use."),
        context_tokens: z
          .int()
          .min(8_000)
          .max(2_000_000)
          .default(100_000)
          .describe(
            "Most tokens one model request may carry; older tool output is left out (with a note) to stay under it.",
          ),
        max_cost_usd: z
          .number()
          .positive()
          .optional()
          .describe(
            "Most US dollars one job may spend on model calls, checked before every call (needs the model's price).",
          ),
        price: z
          .strictObject({
            input_per_million: z.number().nonnegative().describe("USD per million prompt tokens."),
            cached_input_per_million: z
              .number()
              .nonnegative()
              .optional()
              .describe("USD per million prompt tokens served from the provider's cache."),
            output_per_million: z.number().nonnegative().describe("USD per million completion tokens."),
          })
          .optional()
          .describe(
            "The model's price; overrides the built-in table of OpenAI prices (needed for other endpoints).",
          ),
      })
      .prefault({})
      .describe("Limits on the agent loop. The harness enforces them; the model is only told."),
    commands: z
      .strictObject({
        allow: ruleList(DEFAULT_ALLOW).describe(
          'Commands the agent may run, matched on leading words: "docker run --rm" allows `docker run --rm img`, not `docker run img`. "*" allows any command that is not denied.',
        ),
        deny: ruleList(DEFAULT_DENY).describe(
          'Refused wherever they appear in a command line (deny beats allow), matched as command words and arguments, never as substrings ("dd" never matches `git add`). "rm -rf" also catches `rm -fr` and `rm --recursive --force`; a rule in capitals such as "DROP DATABASE" is a phrase looked for inside arguments and heredocs (`psql -c \'drop database x\'`); "curl | bash" matches a pipeline.',
        ),
        require_approval: ruleList(DEFAULT_REQUIRE_APPROVAL).describe(
          "Commands that pause the job until someone with write access comments `/agent approve` or `/agent deny`.",
        ),
        approval_timeout_minutes: z
          .number()
          .positive()
          .max(7 * 24 * 60)
          .default(60)
          .describe("How long a pending approval waits; no answer counts as deny."),
        timeout_seconds: z
          .int()
          .min(1)
          .max(3_600)
          .default(300)
          .describe("A command still running after this is killed with its whole process tree."),
        max_output_kb: z
          .int()
          .min(1)
          .max(1_024)
          .default(64)
          .describe("Command output kept for the model; the middle is cut, head and tail are kept."),
      })
      .prefault({})
      .describe("Which shell commands the agent may run, and how."),
    paths: z
      .strictObject({
        write: z
          .array(ruleEntry)
          .default(["**"])
          .describe("Globs of files the agent may create, change or delete."),
        read_only: ruleList([]).describe(
          "Globs the agent may read but not change (mounted read-only for commands); a directory matched takes everything in it.",
        ),
        forbidden: ruleList(DEFAULT_FORBIDDEN).describe(
          "Globs never read, never written, and hidden from commands; a directory matched (`secrets`, `secrets/`) takes everything in it.",
        ),
        require_review: ruleList([]).describe(
          "Globs that may change, but then the PR opens as a draft labelled needs-human-review; a directory matched takes everything in it. Dependency manifests, lockfiles and CI workflows always need review.",
        ),
      })
      .prefault({})
      .describe(
        "Where the agent may read and write. Checked on real paths (symlinks resolved) and on the final diff.",
      ),
    gates: z
      .strictObject({
        test_first: z
          .boolean()
          .default(true)
          .describe(
            "The change must add or modify tests; with only the test changes applied to the base commit the tests must fail, with the whole change they must pass.",
          ),
        tests: z
          .strictObject({
            command: z
              .string()
              .min(1)
              .optional()
              .describe(
                "How to run the tests, e.g. `npm test`. Without it one is detected from the repository root (package.json `scripts.test`, pytest or unittest, `go test ./...`, `cargo test`, `mvn -q test`, `make test`, …); `none` turns the tests off, and test-first then reports changes with tests as not verified.",
              ),
            patterns: ruleList(DEFAULT_TEST_PATTERNS).describe("Globs that identify test files."),
            exempt: ruleList(DEFAULT_TEST_EXEMPT).describe(
              "A change that touches only these files (documentation) needs no tests.",
            ),
          })
          .prefault({}),
        lint: z
          .array(ruleEntry)
          .default([])
          .describe(
            "Commands run after every edit on the edited files (`{files}` is replaced by them); failures go back to the model, and the final change must pass.",
          ),
        max_diff_lines: z
          .int()
          .min(10)
          .max(100_000)
          .default(500)
          .describe(
            "No PR exceeds this many changed lines (added + removed); bigger work becomes a series of stacked PRs.",
          ),
      })
      .prefault({})
      .describe("Checks the harness runs before anything is published."),
    sandbox: sandboxConfigSchema,
    ci: z
      .strictObject({
        max_fix_attempts: z
          .int()
          .min(0)
          .max(10)
          .default(2)
          .describe(
            "When the repository's own CI fails on an agent pull request (and is green on the base branch), follow-up jobs that try to fix it, at most this many in a row; 0 turns it off.",
          ),
      })
      .prefault({})
      .describe("Following up on the repository's CI."),
    merge: z
      .strictObject({
        auto: z
          .boolean()
          .default(false)
          .describe(
            "Merge issue-agent's pull request once a human with write access approved its current head and every check is green.",
          ),
        method: z.enum(["merge", "squash", "rebase"]).default("squash").describe("How auto-merge merges."),
      })
      .prefault({})
      .describe("Auto-merge of issue-agent's own pull requests (off by default)."),
  })
  .describe("issue-agent repository configuration (.github/agent.yml)");

export type AgentConfig = z.infer<typeof agentConfigSchema>;

export const CONFIG_PATH = ".github/agent.yml";
