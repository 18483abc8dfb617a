import type { Trigger } from "../../src/triggers/trigger.ts";

/** A label trigger by `maintainer` on octo/repo, with what a test needs changed. */
export function testTrigger(overrides: Partial<Trigger> = {}): Trigger {
  const issueNumber = overrides.issueNumber ?? 1;
  return {
    kind: "label",
    deliveryId: `d${issueNumber}`,
    installationId: 1,
    owner: "octo",
    repo: "repo",
    issueNumber,
    sender: "maintainer",
    instructions: undefined,
    commentId: undefined,
    ...overrides,
  };
}
