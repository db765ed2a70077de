/**
 * The messaging port every stage talks to. Two adapters implement it: the embedded in-memory bus
 * (for `npm start` and unit tests) and Apache Pulsar. Both must pass the conformance suite in
 * `./conformance`, so a stage behaves the same on either.
 */

export type SubscriptionType = 'Shared' | 'Key_Shared';

export interface OutgoingMessage {
  readonly payload: Uint8Array;
  /** Ordering and partitioning key; Key_Shared delivers one key's messages in publish order. */
  readonly key?: string | undefined;
  readonly properties?: Readonly<Record<string, string>> | undefined;
  /** Event time in Unix milliseconds, when the producer knows it. */
  readonly eventTime?: number | undefined;
  /**
   * What the payload is, for a bus with a schema registry (Pulsar registers it on the topic, so
   * subscribers in other languages decode the payload from the registry alone); a bus without one
   * ignores it. Pass the same object for every message to a topic: adapters tell schemas apart by
   * identity.
   */
  readonly schema?: PayloadSchema | undefined;
}

/** A schema-registry entry, in Pulsar's terms (its `SchemaInfo`). */
export interface PayloadSchema {
  /** e.g. `PROTOBUF_NATIVE` (data: Pulsar's JSON around a FileDescriptorSet), `JSON`, `AVRO`, `STRING`. */
  readonly type: 'PROTOBUF_NATIVE' | 'PROTOBUF' | 'JSON' | 'AVRO' | 'STRING';
  readonly name: string;
  readonly data: Uint8Array;
  readonly properties?: Readonly<Record<string, string>> | undefined;
}

export interface BusMessage {
  /** Adapter-specific id, stable across redeliveries of the same message. */
  readonly id: string;
  readonly topic: string;
  readonly key: string | undefined;
  readonly payload: Uint8Array;
  readonly properties: Readonly<Record<string, string>>;
  /** How many times this message was delivered before and not acknowledged (0 on first delivery). */
  readonly redeliveryCount: number;
  readonly publishTime: number;
  readonly eventTime: number | undefined;
}

export interface DeadLetterPolicy {
  /** Deliveries after which a failing message goes to the dead-letter topic instead of back to the queue. */
  readonly maxDeliveries: number;
  /** Defaults to `<topic>-<subscription>-DLQ`, the Pulsar clients' convention. */
  readonly topic?: string | undefined;
}

export interface SubscribeOptions {
  readonly topic: string;
  readonly subscription: string;
  readonly type: SubscriptionType;
  /** Upper bound on messages handed to the handler and not yet settled. Default 64. */
  readonly maxInFlight?: number | undefined;
  /** Delay before a failed message is delivered again. Default 1000 ms. */
  readonly nackDelayMs?: number | undefined;
  readonly deadLetter?: DeadLetterPolicy | undefined;
  /** Where a new subscription starts. Default 'latest'. */
  readonly initialPosition?: 'latest' | 'earliest' | undefined;
  /** A non-durable subscription disappears with its last consumer (used for tails and previews). */
  readonly durable?: boolean | undefined;
  readonly consumerName?: string | undefined;
  /**
   * Read the topic's compacted view (control topics, keyed by document): a new subscription from
   * 'earliest' gets at least the latest message of every key published before it — possibly older
   * ones first, in order, so the last one seen per key is the latest — then everything new. A message
   * with an empty payload is a tombstone: compaction removes its key (it is still delivered live). Meant
   * for one consumer per subscription (on Pulsar it is an Exclusive subscription).
   */
  readonly readCompacted?: boolean | undefined;
  /** Told about every message sent to the dead-letter topic (metrics, logs). */
  readonly onDeadLetter?:
    | ((message: BusMessage, deadLetterTopic: string, failure: { code: string; reason: string }) => void)
    | undefined;
  /**
   * Told when the subscription stops delivering for a reason other than drain/close (e.g. the broker
   * removed the subscription): the owner should turn not-ready so the process gets replaced.
   */
  readonly onError?: ((error: Error) => void) | undefined;
}

/**
 * Handles one message. Resolving acknowledges it; throwing makes it fail: it is delivered again after
 * the nack delay, or dead-lettered once the policy's delivery limit is reached. A thrown error marked
 * non-retryable (see `isRetryable`) goes to the dead-letter topic at once.
 */
export type MessageHandler = (message: BusMessage) => Promise<void>;

/** What became of one message of a batch. */
export type MessageOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * Handles a batch: resolves with one outcome per message, in the same order. Each message is settled
 * on its own outcome — an ok one is acknowledged, a failed one is retried or dead-lettered exactly as
 * a `MessageHandler` that threw that error, without touching the others. Throwing (or returning the
 * wrong number of outcomes) fails every message of the batch.
 */
export type BatchHandler = (messages: readonly BusMessage[]) => Promise<readonly MessageOutcome[]>;

export interface BatchSubscribeOptions extends SubscribeOptions {
  /**
   * Most messages in one batch (default 64, never more than `maxInFlight`). A batch is what is ready
   * now — the bus never waits to fill one — so under light load batches hold a single message.
   */
  readonly maxBatchSize?: number | undefined;
}

export interface Subscription {
  readonly topic: string;
  readonly subscription: string;
  /** Stops new deliveries to this consumer, waits until its in-flight messages settle, then closes. */
  drain(): Promise<void>;
  /**
   * Closes at once. Messages it had not settled are delivered again to the subscription's other (or
   * future) consumers; an ack that arrives later is ignored. This is what a crashed consumer looks like.
   */
  close(): Promise<void>;
  /**
   * Backlog figures of the given subscriptions, where the adapter can read them (Pulsar: the admin
   * API's topic stats). A subscription that cannot be read is left out. Optional: the autoscaler
   * then works from the services' own telemetry alone.
   */
  backlog?(inputs: ReadonlyArray<{ topic: string; subscription: string }>): Promise<SubscriptionBacklog[]>;
}

/** What waits in one subscription, as the bus reports it (summed over a topic's partitions). */
export interface SubscriptionBacklog {
  readonly topic: string;
  readonly subscription: string;
  /** Messages per second published to the topic. */
  readonly inRate: number;
  /** Messages per second dispatched to the subscription's consumers. */
  readonly outRate: number;
  /** Delivered and not yet acknowledged. */
  readonly unacked: number;
  /** Published and not yet acknowledged by the subscription. */
  readonly backlog: number;
}

export interface Bus {
  /**
   * Adapter name (`embedded`, `pulsar`), for logs and metrics; it is the `messaging.system` of the
   * spans and metrics the stages emit.
   */
  readonly kind: string;
  /** Resolves with the message id only once the bus has durably accepted the message. */
  publish(topic: string, message: OutgoingMessage): Promise<string>;
  /** Resolves once the subscription exists, so anything published afterwards reaches it. */
  subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription>;
  /**
   * Like `subscribe`, but hands the handler every message that is ready (up to `maxBatchSize`) at once,
   * so a stage can transform them together, publish all outputs, await the receipts together and ack
   * together. Batches may overlap while `maxInFlight` allows. On Key_Shared a batch never holds two
   * messages of one key, and a key's next message is delivered only once its previous one is settled,
   * so per-key order holds exactly as with `subscribe`.
   */
  subscribeBatch(options: BatchSubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  close(): Promise<void>;
  /**
   * Backlog figures of the given subscriptions, where the adapter can read them (Pulsar: the admin
   * API's topic stats). A subscription that cannot be read is left out. Optional: the autoscaler
   * then works from the services' own telemetry alone.
   */
  backlog?(inputs: ReadonlyArray<{ topic: string; subscription: string }>): Promise<SubscriptionBacklog[]>;
}
