/**
 * Which messages of one batch entry are still unacknowledged. Shared by all messages of the entry (and
 * kept across redeliveries of that entry), so that the entry is acknowledged to the broker only once
 * every message in it has been, and already-acked messages are skipped when the entry comes back.
 */
export class BatchAckState {
  /** Bit i set ⇔ message i is still unacknowledged. */
  private readonly bits: Uint32Array;
  private remaining: number;

  constructor(
    readonly ledgerId: number,
    readonly entryId: number,
    readonly size: number,
  ) {
    this.bits = new Uint32Array(Math.ceil(size / 32));
    this.bits.fill(0xffffffff);
    const tail = size & 31;
    if (tail !== 0) this.bits[this.bits.length - 1] = 2 ** tail - 1;
    this.remaining = size;
  }

  /** True when message `i` has not been acknowledged yet. */
  isPending(i: number): boolean {
    return ((this.bits[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  /** Marks message `i` acknowledged; returns true when the whole batch is now acknowledged. */
  ack(i: number): boolean {
    if (i >= 0 && i < this.size && this.isPending(i)) {
      this.bits[i >>> 5] = this.bits[i >>> 5]! & ~(1 << (i & 31));
      this.remaining--;
    }
    return this.remaining === 0;
  }

  /** Marks messages 0..i acknowledged (cumulative ack inside a batch); returns true when all are. */
  ackUpTo(i: number): boolean {
    for (let k = 0; k <= i && k < this.size; k++) this.ack(k);
    return this.remaining === 0;
  }

  /**
   * Applies a broker-provided ack set (`CommandMessage.ack_set`, present when the broker does batch-index
   * acking): bit set ⇔ still to deliver. Clears our pending bits for indexes the broker says are done.
   */
  applyBrokerAckSet(words: readonly bigint[]): void {
    for (let i = 0; i < this.size; i++) {
      const w = words[i >>> 6];
      if (w === undefined) continue;
      if (((BigInt.asUintN(64, w) >> BigInt(i & 63)) & 1n) === 0n) this.ack(i);
    }
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  get pendingCount(): number {
    return this.remaining;
  }
}
