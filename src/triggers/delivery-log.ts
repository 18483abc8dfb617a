/**
 * Remembers webhook delivery ids so a redelivery never starts a second job. Bounded: the oldest
 * ids are forgotten first (GitHub redelivers within days, not millions of deliveries later).
 */
export interface DeliveryLog {
  /** True the first time an id is seen, false for every repeat. */
  firstSighting(deliveryId: string): Promise<boolean>;
}

export class MemoryDeliveryLog implements DeliveryLog {
  private readonly seen = new Set<string>();
  private readonly capacity: number;

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  async firstSighting(deliveryId: string): Promise<boolean> {
    if (this.seen.has(deliveryId)) return false;
    this.seen.add(deliveryId);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}
