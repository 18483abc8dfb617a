import type { Redis } from "ioredis";
import { issueKey } from "../../triggers/trigger.ts";
import type { ApprovalAnswer, Approvals, IssueRef } from "../approval-desk.ts";

/**
 * Approvals across processes: the worker holding the job waits on a Redis channel; the receiver
 * that gets `/agent approve` finds the pending request in Redis and publishes the decision.
 */
export class RedisApprovals implements Approvals {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix = "issue-agent") {
    this.redis = redis;
    this.prefix = prefix;
  }

  private keys(issue: IssueRef) {
    const key = issueKey(issue);
    return { pending: `${this.prefix}:approval:${key}`, channel: `${this.prefix}:approval-answer:${key}` };
  }

  async wait(issue: IssueRef, command: string, timeoutMs: number): Promise<ApprovalAnswer> {
    const { pending, channel } = this.keys(issue);
    const subscriber = this.redis.duplicate();
    try {
      const answered = new Promise<ApprovalAnswer>((resolve) => {
        subscriber.on("message", (_channel: string, message: string) =>
          resolve(JSON.parse(message) as ApprovalAnswer),
        );
      });
      await subscriber.subscribe(channel);
      await this.redis.set(pending, command, "PX", timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<ApprovalAnswer>((resolve) => {
        timer = setTimeout(() => resolve({ decision: "timed out" }), timeoutMs);
      });
      const answer = await Promise.race([answered, timedOut]);
      clearTimeout(timer);
      return answer;
    } finally {
      await this.redis.del(pending);
      subscriber.disconnect();
    }
  }

  async answer(issue: IssueRef, decision: "approved" | "denied", by: string): Promise<string | undefined> {
    const { pending, channel } = this.keys(issue);
    const command = await this.redis.getdel(pending);
    if (command === null) return undefined;
    await this.redis.publish(channel, JSON.stringify({ decision, by } satisfies ApprovalAnswer));
    return command;
  }
}
