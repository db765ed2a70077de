/**
 * Consumer-side acknowledgement bookkeeping.
 *
 * Batch strategy: the broker is not assumed to do batch-index acking (`acknowledgmentAtBatchIndexLevel
 * Enabled` is off by default), and an ACK carrying `ack_set` to a broker with it off would ack the whole
 * entry. So we keep a per-entry {@link BatchAckState} and send an entry-level ack only when every message
 * of the batch is acked. A batch entry redelivered (nack, reconnect) before it is complete comes back
 * whole; its state survives and already-acked messages are filtered out, so the app does not see them
 * again on this consumer.
 *
 * Grouping: acks are buffered and sent as one ACK command every `groupingMs` (or as soon as
 * `maxGroupSize` ids are waiting), the way the Java and Go clients do, which cuts command traffic by
 * orders of magnitude under load. `groupingMs = 0` still coalesces the acks of one event-loop turn.
 */
import { BatchAckState } from './batch-ack-state';
import { entryKey } from './message-id';
import type { MessageId } from './message-id';
import type { MessageIdData } from './proto/commands';

/** Where flushed acks go. Returns false when it cannot send now (no connection): acks stay queued. */
export type AckSink = (individual: MessageIdData[], cumulative: MessageIdData | undefined) => boolean;

export class AckTracker {
  private readonly states = new Map<string, BatchAckState>();
  private pending: MessageIdData[] = [];
  private cumulative: MessageIdData | undefined;
  private timer: NodeJS.Timeout | undefined;
  private microtaskQueued = false;

  constructor(
    private readonly sink: AckSink,
    private readonly groupingMs = 100,
    private readonly maxGroupSize = 1000,
  ) {}

  /** Ack state of a batch entry, created on first sight and kept until the whole entry is acked. */
  batchState(ledgerId: number, entryId: number, size: number): BatchAckState {
    const key = entryKey(ledgerId, entryId);
    let s = this.states.get(key);
    if (s === undefined || s.size !== size) {
      s = new BatchAckState(ledgerId, entryId, size);
      this.states.set(key, s);
    }
    return s;
  }

  private stateOf(id: MessageId): BatchAckState | undefined {
    return id.batchState ?? this.states.get(entryKey(id.ledgerId, id.entryId));
  }

  /** Individual ack. Batch messages ack their entry only when the whole batch is acked. */
  ack(id: MessageId): void {
    if (id.batchIndex >= 0) {
      const s = this.stateOf(id);
      if (s !== undefined) {
        if (!s.ack(id.batchIndex)) return;
        this.states.delete(entryKey(id.ledgerId, id.entryId));
      }
      // No state (an id rebuilt from its string form): we cannot know the siblings, ack the entry.
    }
    // A chunked message is acked in all its entries: a chunk left behind would be redelivered alone.
    if (id.chunkEntries) this.pending.push(...id.chunkEntries);
    this.pending.push({ ledgerId: id.ledgerId, entryId: id.entryId });
    if (this.pending.length >= this.maxGroupSize) this.flush();
    else this.schedule();
  }

  /**
   * Cumulative ack up to and including `id`. Inside a batch that is not complete yet we can only ack up
   * to the previous entry (as the Java client does); the rest of the batch is tracked locally.
   */
  ackCumulative(id: MessageId): void {
    let pos: MessageIdData | undefined = { ledgerId: id.ledgerId, entryId: id.entryId };
    if (id.batchIndex >= 0) {
      const s = this.stateOf(id);
      if (s !== undefined && !s.ackUpTo(id.batchIndex)) {
        pos = id.entryId > 0 ? { ledgerId: id.ledgerId, entryId: id.entryId - 1 } : undefined;
      }
    }
    if (pos === undefined) return;
    const cur = this.cumulative;
    if (
      cur === undefined ||
      pos.ledgerId > cur.ledgerId ||
      (pos.ledgerId === cur.ledgerId && pos.entryId > cur.entryId)
    ) {
      this.cumulative = pos;
    }
    for (const [key, s] of this.states) {
      if (s.ledgerId < pos.ledgerId || (s.ledgerId === pos.ledgerId && s.entryId <= pos.entryId))
        this.states.delete(key);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.groupingMs <= 0) {
      if (this.microtaskQueued) return;
      this.microtaskQueued = true;
      queueMicrotask(() => {
        this.microtaskQueued = false;
        this.flush();
      });
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.groupingMs);
    this.timer.unref();
  }

  /** Sends everything queued now (no-op when the sink is not connected; retried on the next flush). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0 && this.cumulative === undefined) return;
    if (this.sink(this.pending, this.cumulative)) {
      this.pending = [];
      this.cumulative = undefined;
    }
  }

  /** Number of acks waiting to be sent (for tests and stats). */
  get queued(): number {
    return this.pending.length + (this.cumulative ? 1 : 0);
  }

  /** Number of batch entries with some but not all messages acked. */
  get partialBatches(): number {
    return this.states.size;
  }

  /**
   * Forgets the batch states (after a seek): the broker delivers those entries again, all of their
   * messages, and they must not be filtered as acked.
   */
  forgetBatches(): void {
    this.states.clear();
  }

  close(): void {
    this.flush();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
