import {
  PulsarAdmin,
  PulsarClient,
  type Consumer,
  type Message,
  type Producer,
  type PulsarClientOptions,
} from '@patternmesh/pulsar';
import {
  batchOfOne,
  BusError,
  runBatchAndSettle,
  type BatchHandler,
  type BatchSubscribeOptions,
  type Bus,
  type BusMessage,
  type MessageHandler,
  type OutgoingMessage,
  type PayloadSchema,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBacklog,
} from '@patternmesh/bus';
import { readBacklog } from './backlog';
import { DeliveryGate } from './delivery-gate';

export interface PulsarBusOptions extends PulsarClientOptions {
  /**
   * Producer batching delay in ms (default 1; 0 disables batching). Batches are key-based (one key per
   * batch, like the Java client's KEY_BASED batcher): Pulsar dispatches a batch as one entry to one
   * consumer, so a batch mixing keys would break Key_Shared order.
   */
  readonly batchingMaxDelayMs?: number;
  /**
   * Ordering buckets (default 0: off). With B > 0 every keyed message also gets an ordering key, the
   * bucket its key hashes to (of B). Batches then group by bucket instead of by key, and Key_Shared
   * dispatches by bucket: one key still always lands in one bucket, so per-key order holds, while a
   * batch holds many keys' messages — with thousands of interleaved keys, key-based batches hold about
   * one message each, and the broker's cost is per entry. The price: a stage spreads over at most B
   * consumers. The message key itself (routing, compaction, what subscribers read) is unchanged.
   */
  readonly orderingBuckets?: number;
  readonly compression?: 'none' | 'zlib' | 'lz4' | 'zstd';
  /** Admin REST URL; with it the bus reports subscription backlogs (the autoscaler reads them). */
  readonly adminUrl?: string;
}

/**
 * The bus on Apache Pulsar, through the project's own client. Publish resolves on the broker's send
 * receipt (the message is persisted). Subscriptions map one to one onto Pulsar subscriptions; acks,
 * nacks, redelivery counts come from the broker, and dead-lettering uses the shared settle logic so
 * it carries the same context as on the embedded bus.
 */
export class PulsarBus implements Bus {
  readonly kind = 'pulsar';
  /** By topic and schema (`producerKey`): a producer declares one schema, once, when it connects. */
  private readonly producers = new Map<string, Promise<Producer>>();
  /** A small id per schema object, for the producer key (the data is not hashed on every publish). */
  private readonly schemaIds = new WeakMap<PayloadSchema, number>();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly client: PulsarClient,
    private readonly options: Pick<
      PulsarBusOptions,
      'batchingMaxDelayMs' | 'compression' | 'orderingBuckets'
    > = {},
    private readonly admin?: PulsarAdmin,
  ) {
    this.buckets = orderingBucketKeys(options.orderingBuckets ?? 0);
  }

  /** The ordering key of each bucket, encoded once. */
  private readonly buckets: readonly Uint8Array[];

  static connect(options: PulsarBusOptions): PulsarBus {
    const { batchingMaxDelayMs, compression, orderingBuckets, adminUrl, ...clientOptions } = options;
    const admin = adminUrl
      ? new PulsarAdmin({
          url: adminUrl,
          ...(clientOptions.authToken !== undefined ? { authToken: clientOptions.authToken } : {}),
        })
      : undefined;
    return new PulsarBus(
      new PulsarClient(clientOptions),
      {
        ...(batchingMaxDelayMs !== undefined ? { batchingMaxDelayMs } : {}),
        ...(compression !== undefined ? { compression } : {}),
        ...(orderingBuckets !== undefined ? { orderingBuckets } : {}),
      },
      admin,
    );
  }

  async backlog(
    inputs: ReadonlyArray<{ topic: string; subscription: string }>,
  ): Promise<SubscriptionBacklog[]> {
    if (!this.admin) return [];
    return readBacklog(this.admin, inputs);
  }

  async publish(topic: string, message: OutgoingMessage): Promise<string> {
    if (this.closed) throw new BusError('BUS_CLOSED', 'the bus is closed');
    let producer: Producer | undefined;
    try {
      // Inside the try: creating the producer fails too (terminated topic, no permission), and the
      // caller gets a BusError either way.
      producer = await this.producer(topic, message.schema);
      const id = await producer.send({
        payload: message.payload,
        ...(message.key !== undefined ? { key: message.key } : {}),
        ...(message.key !== undefined && this.buckets.length > 0
          ? { orderingKey: this.buckets[bucketOf(message.key, this.buckets.length)]! }
          : {}),
        ...(message.properties ? { properties: { ...message.properties } } : {}),
        ...(message.eventTime !== undefined ? { eventTime: message.eventTime } : {}),
      });
      return id.toString();
    } catch (error) {
      if (producer) this.forgetIfDead(this.producerKey(topic, message.schema), producer, error);
      throw new BusError('PUBLISH_FAILED', `publish to ${topic} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    // One code path for both: a per-message handler gets batches of one.
    return this.subscribeBatch({ ...options, maxBatchSize: 1 }, batchOfOne(handler));
  }

  async subscribeBatch(options: BatchSubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    if (this.closed) throw new BusError('BUS_CLOSED', 'the bus is closed');
    const maxInFlight = Math.max(1, options.maxInFlight ?? 64);
    let consumer: Consumer;
    try {
      consumer = await this.client.subscribe({
        topic: options.topic,
        subscription: options.subscription,
        // Pulsar reads compacted only on Exclusive/Failover subscriptions; a compacted reader is one
        // consumer on its own subscription, so Exclusive says the same thing.
        type: options.readCompacted ? 'Exclusive' : options.type,
        ...(options.readCompacted ? { readCompacted: true } : {}),
        // A small prefetch keeps memory bounded and lets Key_Shared spread keys over consumers.
        receiverQueueSize: Math.max(maxInFlight, 10),
        nackRedeliveryDelayMs: options.nackDelayMs ?? 1_000,
        initialPosition: options.initialPosition ?? 'latest',
        durable: options.durable ?? true,
        ...(options.consumerName ? { consumerName: options.consumerName } : {}),
      });
    } catch (error) {
      throw new BusError(
        'SUBSCRIBE_FAILED',
        `subscribe to ${options.topic} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const maxBatchSize = Math.min(maxInFlight, Math.max(1, options.maxBatchSize ?? 64));
    const subscription = new PulsarSubscription(
      consumer,
      options,
      handler,
      { maxInFlight, maxBatchSize },
      (topic, m) => this.publish(topic, m),
    );
    subscription.onClosed = () => this.subscriptions.delete(subscription);
    this.subscriptions.add(subscription);
    subscription.run();
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([...this.producers.values()].map(async (p) => (await p).close()));
    await this.client.close();
  }

  /**
   * A producer that failed for good (fenced by an exclusive producer, closed by the broker, topic
   * terminated) fails every later send: forget it, so the next publish to the topic creates a new one.
   * That one succeeds once the cause is gone (the fencing producer left), or fails with the broker's
   * own reason (a terminated topic says so on each publish).
   */
  private forgetIfDead(key: string, producer: Producer, error: unknown): void {
    const code = (error as { code?: string }).code;
    if (code === undefined || !PRODUCER_GONE.has(code)) return;
    const cached = this.producers.get(key);
    if (!cached) return;
    void cached.then((p) => {
      if (p !== producer || this.producers.get(key) !== cached) return;
      this.producers.delete(key);
      void p.close().catch(() => {});
    });
  }

  private producerKey(topic: string, schema: PayloadSchema | undefined): string {
    if (!schema) return topic;
    let id = this.schemaIds.get(schema);
    if (id === undefined) this.schemaIds.set(schema, (id = nextSchemaId++));
    return `${topic}\u0000${id}`;
  }

  private producer(topic: string, schema: PayloadSchema | undefined): Promise<Producer> {
    const key = this.producerKey(topic, schema);
    let producer = this.producers.get(key);
    if (!producer) {
      producer = this.client.createProducer({
        topic,
        // Registered on the topic by the broker; a refusal (PULSAR_INCOMPATIBLE_SCHEMA) fails the publish.
        ...(schema
          ? {
              schema: {
                type: schema.type,
                name: schema.name,
                data: schema.data,
                ...(schema.properties ? { properties: { ...schema.properties } } : {}),
              },
            }
          : {}),
        batching: {
          enabled: (this.options.batchingMaxDelayMs ?? 1) > 0,
          maxDelayMs: this.options.batchingMaxDelayMs ?? 1,
          keyBased: true,
        },
        compression: this.options.compression ?? 'none',
      });
      producer.catch(() => this.producers.delete(key));
      this.producers.set(key, producer);
    }
    return producer;
  }
}

let nextSchemaId = 1;

/** `b0` … `b<n-1>` as bytes. */
function orderingBucketKeys(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => new TextEncoder().encode(`b${i}`));
}

/**
 * FNV-1a over the key's UTF-16 code units, modulo `n`: stable across processes and releases (the
 * bucket of a key must never change while its messages are in flight, or two consumers could hold it).
 */
export function bucketOf(key: string, n: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % n;
}

/** Send failures after which this producer object can never send again. */
const PRODUCER_GONE = new Set([
  'PULSAR_PRODUCER_FENCED',
  'PULSAR_PRODUCER_CLOSED',
  'PULSAR_TOPIC_TERMINATED',
  'PULSAR_INCOMPATIBLE_SCHEMA',
]);

function toBusMessage(message: Message): BusMessage {
  return {
    id: message.id.toString(),
    topic: message.topic,
    key: message.key,
    payload: message.payload,
    properties: message.properties,
    redeliveryCount: message.redeliveryCount,
    publishTime: message.publishTime,
    eventTime: message.eventTime,
  };
}

class PulsarSubscription implements Subscription {
  readonly topic: string;
  readonly subscription: string;
  onClosed: () => void = () => undefined;
  private stopping = false;
  private closing: Promise<void> | undefined;
  private readonly gate: DeliveryGate<Message>;

  private readonly onError: ((error: Error) => void) | undefined;

  constructor(
    private readonly consumer: Consumer,
    options: SubscribeOptions,
    handler: BatchHandler,
    limits: { maxInFlight: number; maxBatchSize: number },
    publish: (topic: string, message: OutgoingMessage) => Promise<string>,
  ) {
    this.topic = options.topic;
    this.subscription = options.subscription;
    this.onError = options.onError;
    const keyShared = options.type === 'Key_Shared';
    const retryDelayMs = options.nackDelayMs ?? 1_000;
    /**
     * Runs a batch and returns, per message, when it is finished. On Key_Shared a failed message is
     * retried here (alone, as a batch of one), with its key held in the gate, instead of being nacked
     * to the broker: a nack would let the key's next message overtake it. The attempt count continues
     * from the broker's redelivery count; if this consumer goes away meanwhile, the broker redelivers
     * the unacked message to another one. The acks of a batch are issued in one turn, so the client's
     * ack grouping sends them together.
     */
    const deliver = (batch: readonly Message[], localRetries: number): Array<Promise<void>> => {
      const retry = batch.map(() => false);
      const settled = runBatchAndSettle(
        batch.map((message) => ({
          ...toBusMessage(message),
          redeliveryCount: message.redeliveryCount + localRetries,
        })),
        handler,
        options,
        batch.map((message, i) => ({
          // After close, acks would be refused; the broker redelivers those messages to others.
          ack: () => {
            if (!this.closing) void this.consumer.ack(message).catch(() => undefined);
          },
          nack: () => {
            if (keyShared) retry[i] = true;
            else if (!this.closing) this.consumer.nack(message);
          },
          publish,
        })),
      );
      return batch.map(async (message, i) => {
        await settled;
        if (!retry[i]) return;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        if (this.stopping) return; // left unacked: redelivered once this consumer is closed
        await deliver([message], localRetries + 1)[0];
      });
    };
    this.gate = new DeliveryGate<Message>(limits.maxInFlight, keyShared, limits.maxBatchSize, (batch) =>
      deliver(batch, 0),
    );
  }

  /** Pulls messages while there is room; stops when draining or closed. */
  run(): void {
    void (async () => {
      while (!this.stopping) {
        await this.gate.room();
        if (this.stopping) break;
        let message: Message;
        try {
          message = await this.consumer.receive();
        } catch (error) {
          // Not asked to stop: the client gave the consumer up (subscription deleted, fenced, ...).
          if (!this.stopping) this.onError?.(error as Error);
          break;
        }
        // A message that arrives while draining is left unacked: the broker redelivers it.
        if (this.stopping) break;
        this.gate.admit(message, message.key);
      }
    })();
  }

  async drain(): Promise<void> {
    this.stopping = true;
    await this.gate.idle();
    await this.close();
  }

  close(): Promise<void> {
    this.stopping = true;
    this.closing ??= (async () => {
      try {
        await this.consumer.close();
      } catch {
        // already closed by the client or the broker: nothing left to release
      } finally {
        this.onClosed();
      }
    })();
    return this.closing;
  }
}
