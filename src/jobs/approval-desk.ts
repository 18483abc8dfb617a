import { issueKey } from "../triggers/trigger.ts";

export type ApprovalAnswer = { decision: "approved" | "denied"; by: string } | { decision: "timed out" };

interface Pending {
  command: string;
  resolve: (answer: ApprovalAnswer) => void;
}

/** Where a job waits for a human's decision on a command. */
export interface Approvals {
  wait(
    issue: { owner: string; repo: string; issueNumber: number },
    command: string,
    timeoutMs: number,
  ): Promise<ApprovalAnswer>;
}

/**
 * Where a job waits for a human to approve a command, and where `/agent approve` / `/agent deny`
 * comments deliver the answer. One pending request per issue; a decision applies to that command
 * only.
 */
export class ApprovalDesk implements Approvals {
  private readonly pending = new Map<string, Pending>();

  wait(
    issue: { owner: string; repo: string; issueNumber: number },
    command: string,
    timeoutMs: number,
  ): Promise<ApprovalAnswer> {
    const key = issueKey(issue);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve({ decision: "timed out" });
      }, timeoutMs);
      this.pending.set(key, {
        command,
        resolve: (answer) => {
          clearTimeout(timer);
          this.pending.delete(key);
          resolve(answer);
        },
      });
    });
  }

  /** Delivers a decision; returns the command it applied to, or undefined when nothing was waiting. */
  answer(
    issue: { owner: string; repo: string; issueNumber: number },
    decision: "approved" | "denied",
    by: string,
  ): string | undefined {
    const pending = this.pending.get(issueKey(issue));
    if (!pending) return undefined;
    pending.resolve({ decision, by });
    return pending.command;
  }
}
