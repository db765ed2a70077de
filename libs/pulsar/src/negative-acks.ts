/**
 * Negative-ack tracking: a nacked message is remembered with a deadline (`now + delay`); when the
 * deadline passes, the consumer asks the broker to redeliver it (REDELIVER_UNACKNOWLEDGED_MESSAGES), or
 * routes it to the dead-letter topic when it has been redelivered too often. Because the delay is the
 * same for every entry, insertion order is deadline order, so a Map works as a FIFO and one timer armed
 * for the head suffices.
 */

/** One nacked message waiting for its redelivery deadline. */
export interface NackEntry<M> {
  readonly message: M;
  readonly deadline: number;
  readonly reason: string | undefined;
}

/** Entries due within this slack of the head are redelivered together (fewer, larger commands). */
const COALESCE_MS = 20;

export class NegativeAckTracker<M> {
  private readonly entries = new Map<string, NackEntry<M>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly delayMs: number,
    private readonly onDue: (entries: NackEntry<M>[]) => void,
  ) {}

  /** Records a nack; nacking the same message again restarts its delay. */
  add(key: string, message: M, reason?: string): void {
    if (this.closed) return;
    this.entries.delete(key);
    this.entries.set(key, { message, deadline: Date.now() + this.delayMs, reason });
    this.arm();
  }

  /** Forgets a message (acked after all, or its consumer was reset). */
  remove(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every message whose key matches (e.g. all of one partition consumer, after a seek). */
  removeWhere(match: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  /** Reason recorded with a pending nack, if any. */
  reasonOf(key: string): string | undefined {
    return this.entries.get(key)?.reason;
  }

  get size(): number {
    return this.entries.size;
  }

  private arm(): void {
    if (this.timer !== undefined || this.closed) return;
    const head = this.entries.values().next();
    if (head.done) return;
    const wait = Math.max(0, head.value.deadline - Date.now());
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const limit = Date.now() + COALESCE_MS;
    const due: NackEntry<M>[] = [];
    for (const [key, e] of this.entries) {
      if (e.deadline > limit) break;
      due.push(e);
      this.entries.delete(key);
    }
    if (due.length > 0) this.onDue(due);
    this.arm();
  }

  /** Redelivers nothing more; pending entries are dropped (the broker redelivers on reconnect anyway). */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }
}
