import { BusError } from '../errors';
import type {
  BatchHandler,
  BatchSubscribeOptions,
  Bus,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  SubscriptionBacklog,
} from '../port';
import { batchOfOne, runBatchAndSettle } from '../settle';
import { FifoQueue } from './fifo-queue';
import { type ConsumerSlot, type StoredMessage, SubscriptionState } from './subscription-state';

export interface EmbeddedBusOptions {
  /**
   * Publishing waits while any subscription of the topic holds this many unsettled messages: the
   * in-memory bus applies backpressure instead of growing without limit. Default 50,000.
   */
  readonly maxBacklogPerSubscription?: number;
  /** How long a publish may wait for backlog room before it fails with BACKLOG_FULL. Default 30 s. */
  readonly publishTimeoutMs?: number;
  /** Messages kept for 'earliest' subscribers on a topic that has no subscription yet. Default 1,000. */
  readonly retainWithoutSubscription?: number;
}

interface TopicState {
  readonly subscriptions: Map<string, SubscriptionState>;
  readonly retained: StoredMessage[];
  /** The compacted view (latest message per key), kept once anyone read this topic compacted. */
  compacted?: Map<string, StoredMessage>;
  /** Publishes waiting for backlog room, in call order. */
  readonly waiters: FifoQueue<PublishWaiter>;
}

/** A publish that waits for room: admitted (stored) or failed exactly once. */
interface PublishWaiter {
  settled: boolean;
  admit(): void;
  fail(error: Error): void;
}

/**
 * The embedded in-memory bus: the default for `npm start` and for unit tests of stages. It accepts a
 * message "durably" once it is in memory, so it is for trying the platform, not for keeping data.
 */
export class EmbeddedBus implements Bus {
  readonly kind = 'embedded';
  private readonly topics = new Map<string, TopicState>();
  private readonly subscriptions = new Set<Subscription>();
  private seq = 0;
  private consumerIds = 0;
  private closed = false;
  private readonly maxBacklog: number;
  private readonly publishTimeoutMs: number;
  private readonly retainLimit: number;

  constructor(options: EmbeddedBusOptions = {}) {
    this.maxBacklog = options.maxBacklogPerSubscription ?? 50_000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
    this.retainLimit = options.retainWithoutSubscription ?? 1_000;
  }

  async publish(topic: string, message: OutgoingMessage): Promise<string> {
    this.assertOpen();
    const state = this.topic(topic);
    while (state.waiters.peek()?.settled) state.waiters.shift();
    // Behind waiting publishes too, not only when full: publishes are stored in call order.
    if (state.waiters.length === 0 && !this.full(state)) return this.store(topic, state, message);
    return new Promise<string>((resolve, reject) => {
      const waiter: PublishWaiter = {
        settled: false,
        admit: () => {
          waiter.settled = true;
          clearTimeout(timer);
          resolve(this.store(topic, state, message));
        },
        fail: (error) => {
          waiter.settled = true;
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.fail(
            new BusError('BACKLOG_FULL', 'subscription backlog is full; publish timed out waiting for room'),
          ),
        this.publishTimeoutMs,
      );
      state.waiters.push(waiter);
    });
  }

  /** Stores an admitted message and hands it to every subscription of the topic. */
  private store(topic: string, state: TopicState, message: OutgoingMessage): string {
    const seq = ++this.seq;
    const stored: StoredMessage = {
      seq,
      id: `embedded:${seq}`,
      topic,
      key: message.key,
      // Copy: the caller may reuse its buffer once publish resolves. (The typed-array constructor copies
      // in one memcpy; Uint8Array.from walks the bytes one by one, and Buffer#slice would be a view.)
      payload: new Uint8Array(message.payload),
      properties: { ...message.properties },
      publishTime: Date.now(),
      eventTime: message.eventTime,
    };
    if (state.subscriptions.size === 0) {
      state.retained.push(stored);
      if (state.retained.length > this.retainLimit) state.retained.shift();
    }
    if (state.compacted && stored.key !== undefined) {
      // As in Pulsar's compaction, an empty payload is a tombstone: the key leaves the compacted view.
      if (stored.payload.length === 0) state.compacted.delete(stored.key);
      else state.compacted.set(stored.key, stored);
    }
    for (const sub of state.subscriptions.values()) sub.enqueue(stored);
    return stored.id;
  }

  subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    // One code path for both: a per-message handler gets batches of one.
    return this.subscribeBatch({ ...options, maxBatchSize: 1 }, batchOfOne(handler));
  }

  async subscribeBatch(options: BatchSubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    this.assertOpen();
    const state = this.topic(options.topic);
    let sub = state.subscriptions.get(options.subscription);
    if (!sub) {
      sub = new SubscriptionState(
        options.subscription,
        options.type,
        { durable: options.durable ?? true },
        () => this.wake(state),
      );
      state.subscriptions.set(options.subscription, sub);
      if (options.readCompacted) {
        // From now on this topic keeps its latest message per key, as Pulsar's compaction does.
        if (!state.compacted) {
          state.compacted = new Map();
          for (const m of state.retained) {
            if (m.key === undefined) continue;
            if (m.payload.length === 0) state.compacted.delete(m.key);
            else state.compacted.set(m.key, m);
          }
        }
        if (options.initialPosition === 'earliest') {
          for (const m of [...state.compacted.values()].sort((a, b) => a.seq - b.seq)) sub.enqueue(m);
        }
      } else if (options.initialPosition === 'earliest') {
        for (const m of state.retained) sub.enqueue(m);
      }
      state.retained.length = 0;
    } else if (sub.type !== options.type) {
      throw new BusError(
        'SUBSCRIBE_FAILED',
        `subscription ${options.subscription} on ${options.topic} is ${sub.type}, not ${options.type}`,
      );
    }
    const subscriptionState = sub;
    const nackDelayMs = options.nackDelayMs ?? 1_000;
    const maxInFlight = Math.max(1, options.maxInFlight ?? 64);
    const publish = (topic: string, m: OutgoingMessage): Promise<string> => this.publish(topic, m);
    const consumer: ConsumerSlot = {
      id: ++this.consumerIds,
      maxInFlight,
      maxBatchSize: Math.min(maxInFlight, Math.max(1, options.maxBatchSize ?? 64)),
      inFlight: 0,
      accepting: true,
      deliver: (batch) => {
        void runBatchAndSettle(
          batch.map((d) => d.message),
          handler,
          options,
          batch.map(({ pending }) => ({
            ack: () => subscriptionState.ack(pending, consumer),
            nack: () => subscriptionState.nack(pending, consumer, nackDelayMs),
            publish,
          })),
        ).finally(() => settled());
      },
    };
    let idle: (() => void) | undefined;
    const settled = (): void => {
      if (idle && consumer.inFlight === 0) idle();
    };
    const detach = (): void => {
      subscriptionState.detach(consumer);
      if (!subscriptionState.durable && subscriptionState.consumerCount === 0) {
        subscriptionState.dispose();
        state.subscriptions.delete(options.subscription);
        this.wake(state);
      }
      this.subscriptions.delete(handle);
    };
    const handle: Subscription = {
      topic: options.topic,
      subscription: options.subscription,
      drain: async () => {
        subscriptionState.stopAccepting(consumer);
        if (consumer.inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
        detach();
      },
      close: async () => {
        consumer.accepting = false;
        detach();
      },
    };
    subscriptionState.attach(consumer);
    this.subscriptions.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    for (const state of this.topics.values()) {
      for (const sub of state.subscriptions.values()) sub.dispose();
      state.waiters.drainTo((w) => {
        if (!w.settled) w.fail(new BusError('BUS_CLOSED', 'the bus is closed'));
      });
    }
  }

  /** Unsettled messages of each subscription that exists (rates are not tracked here: 0). */
  async backlog(
    inputs: ReadonlyArray<{ topic: string; subscription: string }>,
  ): Promise<SubscriptionBacklog[]> {
    return inputs.flatMap(({ topic, subscription }) => {
      const sub = this.topics.get(topic)?.subscriptions.get(subscription);
      return sub
        ? [
            {
              topic,
              subscription,
              inRate: 0,
              outRate: 0,
              unacked: sub.unackedCount,
              backlog: sub.backlogSize,
            },
          ]
        : [];
    });
  }

  /** Names of a topic's subscriptions (tests). */
  subscriptionNames(topic: string): string[] {
    return [...(this.topics.get(topic)?.subscriptions.keys() ?? [])];
  }

  private topic(name: string): TopicState {
    let state = this.topics.get(name);
    if (!state) {
      state = { subscriptions: new Map(), retained: [], waiters: new FifoQueue() };
      this.topics.set(name, state);
    }
    return state;
  }

  private full(state: TopicState): boolean {
    for (const sub of state.subscriptions.values()) if (sub.backlogSize >= this.maxBacklog) return true;
    return false;
  }

  /**
   * Room appeared (an ack, a dropped subscription): admit waiting publishes, oldest first, while there
   * is room. Each is stored at once, so this wakes exactly as many as fit — O(1) per freed slot, where
   * waking every waiter to re-check would cost O(waiters) per ack.
   */
  private wake(state: TopicState): void {
    while (state.waiters.length > 0 && !this.full(state)) {
      const waiter = state.waiters.shift()!;
      if (!waiter.settled) waiter.admit();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('BUS_CLOSED', 'the bus is closed');
  }
}
