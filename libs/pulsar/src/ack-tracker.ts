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
 *
 * Receipts (optional, the Java client's `ackReceiptEnabled`): each ACK then carries a request id, and
 * `ack()` resolves only once the broker confirmed the ACK that carried it. An ACK in flight when the
 * connection drops is queued again and re-sent on the next session (acking twice is harmless), so the
 * caller's promise settles with what the broker said, not with the fate of one socket.
 *
 * Partial batches: the state of a batch entry only part of which is acked is kept while the entry may
 * come back to this consumer. On Shared and Key_Shared subscriptions a redelivered entry may go to
 * another consumer instead, and never return: states are therefore kept in delivery order, bounded in
 * number and dropped when not delivered again for `partialBatchTtlMs`. Dropping one costs at most a
 * duplicate (its acked messages are handed out again if the entry does come back); the messages the
 * application still holds keep their state through their ids, so their acks still complete the entry.
 */
import { BatchAckState } from './batch-ack-state';
import { entryKey } from './message-id';
import type { MessageId } from './message-id';
import type { MessageIdData } from './proto/commands';
import { isPulsarError } from './errors';

/**
 * Where flushed acks go. Returns false when it cannot send now (no connection): acks stay queued.
 * With receipts it returns the broker's confirmation of what it sent.
 */
export type AckSink = (
  individual: MessageIdData[],
  cumulative: MessageIdData | undefined,
  withReceipt: boolean,
) => boolean | Promise<void>;

export interface AckTrackerOptions {
  /** Ack grouping window (ms); 0 = end of the current tick. */
  groupingMs?: number;
  /** Send at once when this many individual acks are waiting. */
  maxGroupSize?: number;
  /** `ack()` resolves once the broker confirmed it (default false: resolves at once). */
  receipts?: boolean;
  /** Partial batch states kept at most (oldest delivery dropped first). */
  maxPartialBatches?: number;
  /** A partial batch state not delivered again for this long is dropped. */
  partialBatchTtlMs?: number;
  now?: () => number;
}

interface Receipt {
  resolve(): void;
  reject(e: Error): void;
}

const RESOLVED = Promise.resolve();

export class AckTracker {
  /** Partial batch states in the order they were last delivered (a Map keeps insertion order). */
  private readonly states = new Map<string, BatchAckState>();
  private readonly deliveredAt = new WeakMap<BatchAckState, number>();
  private pending: MessageIdData[] = [];
  private cumulative: MessageIdData | undefined;
  /** Callers waiting for the broker to confirm what is in `pending`/`cumulative`. */
  private receipts: Receipt[] = [];
  private timer: NodeJS.Timeout | undefined;
  private microtaskQueued = false;
  private readonly groupingMs: number;
  private readonly maxGroupSize: number;
  private readonly withReceipts: boolean;
  private readonly maxPartialBatches: number;
  private readonly partialBatchTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sink: AckSink,
    options: AckTrackerOptions = {},
  ) {
    this.groupingMs = options.groupingMs ?? 100;
    this.maxGroupSize = options.maxGroupSize ?? 1000;
    this.withReceipts = options.receipts ?? false;
    this.maxPartialBatches = options.maxPartialBatches ?? 10_000;
    this.partialBatchTtlMs = options.partialBatchTtlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Ack state of a batch entry being delivered, created on first sight and kept until the whole entry is
   * acked, or it expires (see the file comment).
   */
  batchState(ledgerId: number, entryId: number, size: number): BatchAckState {
    const key = entryKey(ledgerId, entryId);
    let s = this.states.get(key);
    if (s === undefined || s.size !== size) s = new BatchAckState(ledgerId, entryId, size);
    // Re-inserted: the map stays ordered by last delivery, oldest first.
    this.states.delete(key);
    this.states.set(key, s);
    const now = this.now();
    this.deliveredAt.set(s, now);
    this.expireStates(now);
    return s;
  }

  private expireStates(now: number): void {
    const oldest = now - this.partialBatchTtlMs;
    for (const [key, s] of this.states) {
      if (this.states.size <= this.maxPartialBatches && (this.deliveredAt.get(s) ?? 0) > oldest) return;
      this.states.delete(key);
    }
  }

  private stateOf(id: MessageId): BatchAckState | undefined {
    return id.batchState ?? this.states.get(entryKey(id.ledgerId, id.entryId));
  }

  /**
   * Individual ack. Batch messages ack their entry only when the whole batch is acked (until then
   * nothing goes to the broker, and with receipts the promise resolves at once, as in the Java client).
   */
  ack(id: MessageId): Promise<void> {
    if (id.batchIndex >= 0) {
      const s = this.stateOf(id);
      if (s !== undefined) {
        if (!s.ack(id.batchIndex)) return RESOLVED;
        this.states.delete(entryKey(id.ledgerId, id.entryId));
      }
      // No state (an id rebuilt from its string form): we cannot know the siblings, ack the entry.
    }
    // A chunked message is acked in all its entries: a chunk left behind would be redelivered alone.
    if (id.chunkEntries) this.pending.push(...id.chunkEntries);
    this.pending.push({ ledgerId: id.ledgerId, entryId: id.entryId });
    const receipt = this.receipt();
    if (this.pending.length >= this.maxGroupSize) this.flush();
    else this.schedule();
    return receipt;
  }

  private receipt(): Promise<void> {
    if (!this.withReceipts) return RESOLVED;
    return new Promise<void>((resolve, reject) => this.receipts.push({ resolve, reject }));
  }

  /**
   * Cumulative ack up to and including `id`. Inside a batch that is not complete yet we can only ack up
   * to the previous entry (as the Java client does); the rest of the batch is tracked locally.
   */
  ackCumulative(id: MessageId): Promise<void> {
    let pos: MessageIdData | undefined = { ledgerId: id.ledgerId, entryId: id.entryId };
    if (id.batchIndex >= 0) {
      const s = this.stateOf(id);
      if (s !== undefined && !s.ackUpTo(id.batchIndex)) {
        pos = id.entryId > 0 ? { ledgerId: id.ledgerId, entryId: id.entryId - 1 } : undefined;
      }
    }
    if (pos === undefined) return RESOLVED;
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
    const receipt = this.receipt();
    this.schedule();
    return receipt;
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
    const ids = this.pending;
    const cumulative = this.cumulative;
    const sent = this.sink(ids, cumulative, this.withReceipts);
    if (sent === false) return;
    this.pending = [];
    this.cumulative = undefined;
    const receipts = this.receipts;
    this.receipts = [];
    if (sent === true) {
      for (const r of receipts) r.resolve();
      return;
    }
    sent.then(
      () => {
        for (const r of receipts) r.resolve();
      },
      (e: unknown) => {
        if (isPulsarError(e) && e.code === 'PULSAR_CONNECTION_CLOSED' && !this.closed) {
          // Unknown whether the broker applied it: send it again on the next session.
          this.pending.push(...ids);
          if (cumulative) this.cumulative ??= cumulative;
          this.receipts.push(...receipts);
          this.schedule();
          return;
        }
        for (const r of receipts) r.reject(e as Error);
      },
    );
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

  /** Flushes and stops. Receipts still unsent are failed with `err` (nothing will send them now). */
  close(err?: Error): void {
    this.flush();
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (err) for (const r of this.receipts.splice(0)) r.reject(err);
  }

  private closed = false;
}
