import type { TriggerRequest } from "./trigger.ts";

/**
 * The durable record behind a fast webhook acknowledgement. The receiver records each request under
 * its delivery id and answers GitHub at once; the intake stage settles it once handled. Ids are
 * remembered after settling, so a redelivery never starts a second job, also after a restart.
 * SqliteState and RedisState implement it, each forgetting ids after a retention period.
 */
export interface DeliveryLog {
  /** Records the request; false, and nothing written, when its delivery id was seen before. */
  accept(request: TriggerRequest): Promise<boolean>;
  /** The request was handled (a job queued, a reply posted, or deliberately nothing). */
  settle(deliveryId: string): Promise<void>;
  /** Requests accepted before `receivedBefore` and never settled: work a stopped process left. */
  unsettled(receivedBefore: Date): Promise<TriggerRequest[]>;
}
