/**
 * Remembers webhook delivery ids so a redelivery never starts a second job, also after a restart:
 * SqliteState and RedisState implement it, each forgetting ids after a retention period.
 */
export interface DeliveryLog {
  /** True the first time an id is seen, false for every repeat. */
  firstSighting(deliveryId: string): Promise<boolean>;
}
