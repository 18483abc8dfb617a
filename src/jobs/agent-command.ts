/** The sub-commands; anything else after `/agent` is instructions for the agent. */
export const AGENT_VERBS = ["stop", "status", "approve", "deny", "retry", "help"] as const;
export type AgentVerb = (typeof AGENT_VERBS)[number];

export type AgentCommand =
  /** `/agent` or `/agent <instructions>`: start work, or steer the running job. */
  | { verb: "start"; instructions: string }
  /**
   * `/agent skip-tests [instructions]`: waives test-first for the job (the running one, or
   * one it starts); steps then pass as "waived by @who" once the existing tests pass.
   */
  | { verb: "skip-tests"; instructions: string }
  | { verb: AgentVerb }
  /** `/agent <one word>` alone, where the word is no sub-command: answered with the help text. */
  | { verb: "unknown"; word: string };
