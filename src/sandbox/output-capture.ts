/**
 * Keeps the head and the tail of a stream within a byte budget, counting what was dropped in the
 * middle. Commands that print gigabytes cost the budget, not the memory.
 */
export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head = Buffer.alloc(0);
  private tailChunks: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.ceil(maxBytes / 2);
    this.tailLimit = Math.floor(maxBytes / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.head.length < this.headLimit) {
      const take = Math.min(this.headLimit - this.head.length, rest.length);
      this.head = Buffer.concat([this.head, rest.subarray(0, take)]);
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tailChunks.push(Buffer.from(rest));
    this.tailBytes += rest.length;
    while (this.tailBytes - (this.tailChunks[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tailChunks.shift()?.length ?? 0;
    }
  }

  get totalBytes(): number {
    return this.total;
  }

  get omittedBytes(): number {
    return Math.max(0, this.total - this.headLimit - this.tailLimit);
  }

  text(): string {
    const tail = Buffer.concat(this.tailChunks);
    const keptTail = tail.subarray(Math.max(0, tail.length - this.tailLimit));
    const omitted = this.total - this.head.length - keptTail.length;
    if (omitted <= 0) return Buffer.concat([this.head, keptTail]).toString("utf8");
    return `${this.head.toString("utf8")}\n[… ${omitted} bytes of output omitted …]\n${keptTail.toString("utf8")}`;
  }
}
