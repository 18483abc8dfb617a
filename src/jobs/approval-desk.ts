import { issueKey } from "../triggers/trigger.ts";

export type ApprovalAnswer = { decision: "approved" | "denied"; by: string } | { decision: "timed out" };

interface Pending {
  command: string;
  resolve: (answer: ApprovalAnswer) => void;
}

export type IssueRef = { owner: string; repo: string; issueNumber: number };

/** Where a job waits for a human's decision on a command, and where the decision is delivered. */
export interface Approvals {
  wait(issue: IssueRef, command: string, timeoutMs: number): Promise<ApprovalAnswer>;
  /** Delivers a decision; resolves to the command it applied to, or undefined when nothing was waiting. */
  answer(issue: IssueRef, decision: "approved" | "denied", by: string): Promise<string | undefined>;
}

/**
 * In-process approvals: a job waits here for `/agent approve` / `/agent deny`. One pending request
 * per issue; a decision applies to that command only. RedisApprovals does the same across processes.
 */
export class ApprovalDesk implements Approvals {
  private readonly pending = new Map<string, Pending>();

  wait(issue: IssueRef, command: string, timeoutMs: number): Promise<ApprovalAnswer> {
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

  async answer(issue: IssueRef, decision: "approved" | "denied", by: string): Promise<string | undefined> {
    const pending = this.pending.get(issueKey(issue));
    if (!pending) return undefined;
    pending.resolve({ decision, by });
    return pending.command;
  }
}
