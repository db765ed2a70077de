import type { BusMessage, SubscribeOptions } from '../port';
import { consumerForSlot, keyHashSlot } from './key-hash';

/** A message as stored on an embedded topic. */
export interface StoredMessage {
  readonly seq: number;
  readonly id: string;
  readonly topic: string;
  readonly key: string | undefined;
  readonly payload: Uint8Array;
  readonly properties: Readonly<Record<string, string>>;
  readonly publishTime: number;
  readonly eventTime: number | undefined;
}

interface Pending {
  readonly message: StoredMessage;
  redeliveryCount: number;
}

/** One attached consumer: its capacity and how deliveries reach it. */
export interface ConsumerSlot {
  readonly id: number;
  readonly maxInFlight: number;
  inFlight: number;
  accepting: boolean;
  deliver(message: BusMessage): void;
}

/**
 * One subscription on one embedded topic: its backlog in publish order, what is out with which
 * consumer, and the dispatch rules of its type.
 *
 * Key_Shared here is strict: a key's next message is not dispatched while an earlier one of that key
 * is unsettled anywhere in the subscription (including while a nacked one waits for redelivery). That
 * keeps per-key order through consumer changes and retries, at the price of head-of-line blocking per
 * key, which the dead-letter limit bounds.
 */
export class SubscriptionState {
  readonly durable: boolean;
  private readonly backlog: Pending[] = [];
  private readonly unacked = new Map<number, { pending: Pending; consumer: ConsumerSlot }>();
  private readonly keysOut = new Map<string, number>();
  private readonly waitingRedelivery = new Set<number>();
  private readonly consumers: ConsumerSlot[] = [];
  private roundRobin = 0;
  private dispatchScheduled = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly name: string,
    readonly type: SubscribeOptions['type'],
    options: { durable: boolean },
    private readonly onBacklogShrink: () => void,
  ) {
    this.durable = options.durable;
  }

  get backlogSize(): number {
    return this.backlog.length + this.unacked.size + this.waitingRedelivery.size;
  }

  /** Delivered to a consumer and not settled yet. */
  get unackedCount(): number {
    return this.unacked.size;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  enqueue(message: StoredMessage): void {
    this.backlog.push({ message, redeliveryCount: 0 });
    this.scheduleDispatch();
  }

  attach(consumer: ConsumerSlot): void {
    this.consumers.push(consumer);
    this.scheduleDispatch();
  }

  /** Removes a consumer; whatever it had not settled goes back to the backlog for the others. */
  detach(consumer: ConsumerSlot): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    for (const [seq, out] of this.unacked) {
      if (out.consumer !== consumer) continue;
      this.unacked.delete(seq);
      this.release(out.pending.message.key);
      this.insertInOrder(out.pending);
    }
    consumer.inFlight = 0;
    this.scheduleDispatch();
  }

  ack(seq: number, consumer: ConsumerSlot): void {
    const out = this.unacked.get(seq);
    if (!out || out.consumer !== consumer) return; // late ack from a consumer that was detached
    this.unacked.delete(seq);
    consumer.inFlight--;
    this.release(out.pending.message.key);
    this.onBacklogShrink();
    this.scheduleDispatch();
  }

  nack(seq: number, consumer: ConsumerSlot, delayMs: number): void {
    const out = this.unacked.get(seq);
    if (!out || out.consumer !== consumer) return;
    this.unacked.delete(seq);
    consumer.inFlight--;
    out.pending.redeliveryCount++;
    // The key stays held while the message waits, so later messages of the key cannot overtake it.
    this.waitingRedelivery.add(seq);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waitingRedelivery.delete(seq);
      this.release(out.pending.message.key);
      this.insertInOrder(out.pending);
      this.scheduleDispatch();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
    this.scheduleDispatch();
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private insertInOrder(pending: Pending): void {
    let i = this.backlog.length;
    while (i > 0 && this.backlog[i - 1]!.message.seq > pending.message.seq) i--;
    this.backlog.splice(i, 0, pending);
  }

  private hold(key: string | undefined): void {
    if (this.type !== 'Key_Shared' || key === undefined) return;
    this.keysOut.set(key, (this.keysOut.get(key) ?? 0) + 1);
  }

  private release(key: string | undefined): void {
    if (this.type !== 'Key_Shared' || key === undefined) return;
    const left = (this.keysOut.get(key) ?? 1) - 1;
    if (left <= 0) this.keysOut.delete(key);
    else this.keysOut.set(key, left);
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // Batch wake-ups: many acks in one tick cause one dispatch pass.
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    const ready = this.consumers.filter((c) => c.accepting);
    if (ready.length === 0 || this.backlog.length === 0) return;
    const blockedKeys = new Set<string>();
    let i = 0;
    while (i < this.backlog.length) {
      if (!ready.some((c) => c.inFlight < c.maxInFlight)) return;
      const pending = this.backlog[i]!;
      const target = this.pickConsumer(pending.message.key, ready, blockedKeys);
      if (!target) {
        i++;
        continue;
      }
      this.backlog.splice(i, 1);
      this.hold(pending.message.key);
      target.inFlight++;
      this.unacked.set(pending.message.seq, { pending, consumer: target });
      target.deliver({ ...pending.message, redeliveryCount: pending.redeliveryCount });
    }
  }

  private pickConsumer(
    key: string | undefined,
    ready: ConsumerSlot[],
    blockedKeys: Set<string>,
  ): ConsumerSlot | undefined {
    if (this.type === 'Key_Shared' && key !== undefined) {
      if (blockedKeys.has(key) || this.keysOut.has(key)) {
        blockedKeys.add(key);
        return undefined;
      }
      const target = ready[consumerForSlot(keyHashSlot(key), ready.length)]!;
      if (target.inFlight >= target.maxInFlight) {
        blockedKeys.add(key);
        return undefined;
      }
      return target;
    }
    for (let n = 0; n < ready.length; n++) {
      const candidate = ready[(this.roundRobin + n) % ready.length]!;
      if (candidate.inFlight < candidate.maxInFlight) {
        this.roundRobin = (this.roundRobin + n + 1) % ready.length;
        return candidate;
      }
    }
    return undefined;
  }
}
