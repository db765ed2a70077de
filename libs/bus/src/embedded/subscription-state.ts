import type { BusMessage, SubscribeOptions } from '../port';
import { FifoQueue } from './fifo-queue';
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

/** A message of this subscription that is not acknowledged yet. */
export interface Pending {
  readonly message: StoredMessage;
  redeliveryCount: number;
}

/** One delivered message and the handle its settlement refers to. */
export interface Delivery {
  readonly message: BusMessage;
  readonly pending: Pending;
}

/** One attached consumer: its capacity and how deliveries reach it. */
export interface ConsumerSlot {
  readonly id: number;
  readonly maxInFlight: number;
  /** Most messages handed over in one `deliver` call. */
  readonly maxBatchSize: number;
  inFlight: number;
  accepting: boolean;
  deliver(batch: readonly Delivery[]): void;
}

/** Key_Shared bookkeeping of one key: what waits, and whether one of its messages is out. */
interface KeyEntry {
  readonly key: string;
  readonly slot: number;
  readonly waiting: FifoQueue<Pending>;
  /** A message of this key is with a consumer or waits for redelivery. */
  held: boolean;
  /** In a consumer's ready queue (so never twice). */
  queued: boolean;
}

/** An accepting consumer and the Key_Shared keys whose next message is ready for it. */
interface Lane {
  readonly consumer: ConsumerSlot;
  readonly readyKeys: FifoQueue<KeyEntry>;
}

/**
 * One subscription on one embedded topic: its backlog, what is out with which consumer, and the
 * dispatch rules of its type.
 *
 * Key_Shared here is strict: a key's next message is not dispatched while an earlier one of that key
 * is unsettled anywhere in the subscription (including while a nacked one waits for redelivery). That
 * keeps per-key order through consumer changes and retries, at the price of head-of-line blocking per
 * key, which the dead-letter limit bounds.
 *
 * Dispatch costs O(1) per delivered message: keyless messages (all of them on Shared) wait in one
 * FIFO; on Key_Shared each key has its own FIFO, and a key whose next message may go out sits in the
 * ready queue of the one consumer its hash maps to. Nothing scans the backlog; only a change of the
 * consumer set (attach, drain, detach) re-spreads the ready keys, in O(keys).
 */
export class SubscriptionState {
  readonly durable: boolean;
  /** Keyless messages, and every message on Shared. */
  private readonly unkeyed = new FifoQueue<Pending>();
  private readonly keys = new Map<string, KeyEntry>();
  private waitingCount = 0;
  private readonly unacked = new Map<Pending, ConsumerSlot>();
  private waitingRedelivery = 0;
  private readonly consumers: ConsumerSlot[] = [];
  private lanes: Lane[] = [];
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
    return this.waitingCount + this.unacked.size + this.waitingRedelivery;
  }

  /** Delivered to a consumer and not settled yet. */
  get unackedCount(): number {
    return this.unacked.size;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  enqueue(message: StoredMessage): void {
    this.putBack({ message, redeliveryCount: 0 }, false);
    this.scheduleDispatch();
  }

  attach(consumer: ConsumerSlot): void {
    this.consumers.push(consumer);
    this.spreadReadyKeys();
    this.scheduleDispatch();
  }

  /** The consumer takes nothing new (it drains); its ready keys move to the other consumers. */
  stopAccepting(consumer: ConsumerSlot): void {
    consumer.accepting = false;
    this.spreadReadyKeys();
    this.scheduleDispatch();
  }

  /** Removes a consumer; whatever it had not settled goes back to the backlog for the others. */
  detach(consumer: ConsumerSlot): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    const returned: Pending[] = [];
    for (const [pending, holder] of this.unacked) if (holder === consumer) returned.push(pending);
    // Latest first, each to the front: the queues end up in publish order again.
    returned.sort((a, b) => b.message.seq - a.message.seq);
    for (const pending of returned) {
      this.unacked.delete(pending);
      const entry = this.keyEntry(pending.message.key);
      if (entry) entry.held = false;
      this.putBack(pending, true);
    }
    consumer.inFlight = 0;
    this.spreadReadyKeys();
    this.scheduleDispatch();
  }

  ack(pending: Pending, consumer: ConsumerSlot): void {
    if (this.unacked.get(pending) !== consumer) return; // late ack from a consumer that was detached
    this.unacked.delete(pending);
    consumer.inFlight--;
    this.release(pending.message.key);
    this.onBacklogShrink();
    this.scheduleDispatch();
  }

  nack(pending: Pending, consumer: ConsumerSlot, delayMs: number): void {
    if (this.unacked.get(pending) !== consumer) return;
    this.unacked.delete(pending);
    consumer.inFlight--;
    pending.redeliveryCount++;
    // The key stays held while the message waits, so later messages of the key cannot overtake it.
    this.waitingRedelivery++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waitingRedelivery--;
      const entry = this.keyEntry(pending.message.key);
      if (entry) entry.held = false;
      this.putBack(pending, true);
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

  private keyEntry(key: string | undefined): KeyEntry | undefined {
    return this.type === 'Key_Shared' && key !== undefined ? this.keys.get(key) : undefined;
  }

  /** Queues a message for dispatch: at the back when new, in front when it comes back. */
  private putBack(pending: Pending, front: boolean): void {
    this.waitingCount++;
    const key = pending.message.key;
    if (this.type !== 'Key_Shared' || key === undefined) {
      if (front) this.unkeyed.unshift(pending);
      else this.unkeyed.push(pending);
      return;
    }
    let entry = this.keys.get(key);
    if (!entry) {
      entry = { key, slot: keyHashSlot(key), waiting: new FifoQueue(), held: false, queued: false };
      this.keys.set(key, entry);
    }
    if (front) entry.waiting.unshift(pending);
    else entry.waiting.push(pending);
    this.markReady(entry);
  }

  /** A key's message was settled: its next one may go out. */
  private release(key: string | undefined): void {
    const entry = this.keyEntry(key);
    if (!entry) return;
    entry.held = false;
    if (entry.waiting.length > 0) this.markReady(entry);
    else this.keys.delete(entry.key);
  }

  /** Puts a key whose next message may go out into its consumer's ready queue. */
  private markReady(entry: KeyEntry): void {
    if (entry.held || entry.queued || entry.waiting.length === 0) return;
    if (this.lanes.length === 0) return; // spreadReadyKeys picks it up once a consumer accepts
    entry.queued = true;
    this.lanes[consumerForSlot(entry.slot, this.lanes.length)]!.readyKeys.push(entry);
  }

  /** Rebuilds the lanes for the accepting consumers and hands every ready key to its consumer. */
  private spreadReadyKeys(): void {
    this.lanes = this.consumers
      .filter((c) => c.accepting)
      .map((consumer) => ({ consumer, readyKeys: new FifoQueue<KeyEntry>() }));
    this.roundRobin = 0;
    if (this.lanes.length === 0) return;
    // In order of each key's next message, so the earliest published go out first.
    for (const entry of this.keys.values()) entry.queued = false;
    const ready = [...this.keys.values()].filter((e) => !e.held && e.waiting.length > 0);
    ready.sort((a, b) => a.waiting.peek()!.message.seq - b.waiting.peek()!.message.seq);
    for (const entry of ready) this.markReady(entry);
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

  /**
   * Gives each accepting consumer, in turn, a batch of what is ready for it (up to its batch size and
   * free capacity), until nothing more can go out. Each round costs O(consumers + messages delivered).
   */
  private dispatch(): void {
    const lanes = this.lanes;
    let progress = true;
    while (progress && this.waitingCount > 0) {
      progress = false;
      for (let n = 0; n < lanes.length; n++) {
        const lane = lanes[(this.roundRobin + n) % lanes.length]!;
        if (this.deliverBatch(lane) > 0) progress = true;
      }
      // Whoever was first this round is last in the next: a Shared backlog is shared out evenly.
      if (lanes.length > 0) this.roundRobin = (this.roundRobin + 1) % lanes.length;
    }
  }

  private deliverBatch(lane: Lane): number {
    const consumer = lane.consumer;
    const room = Math.min(consumer.maxBatchSize, consumer.maxInFlight - consumer.inFlight);
    if (room <= 0) return 0;
    const batch: Delivery[] = [];
    while (batch.length < room) {
      const pending = this.takeNext(lane);
      if (!pending) break;
      this.waitingCount--;
      this.unacked.set(pending, consumer);
      batch.push({ message: { ...pending.message, redeliveryCount: pending.redeliveryCount }, pending });
    }
    if (batch.length === 0) return 0;
    consumer.inFlight += batch.length;
    consumer.deliver(batch);
    return batch.length;
  }

  /** The consumer's next message: its ready keys and the keyless queue, earliest published first. */
  private takeNext(lane: Lane): Pending | undefined {
    const keyed = lane.readyKeys.peek();
    const unkeyed = this.unkeyed.peek();
    if (keyed && (!unkeyed || keyed.waiting.peek()!.message.seq < unkeyed.message.seq)) {
      lane.readyKeys.shift();
      keyed.queued = false;
      keyed.held = true;
      return keyed.waiting.shift();
    }
    return this.unkeyed.shift();
  }
}
