/**
 * The public producer. For a partitioned topic it holds one {@link PartitionProducer} per partition and
 * routes each message: by key with the Java client's default hash (so keys land where a Java producer
 * would put them), round-robin for keyless messages.
 */
import type { ClientContext, Closable } from './client-context';
import type { CompressionName } from './compression/index';
import { compressionType } from './compression/index';
import { PulsarError } from './errors';
import type { MessageId } from './message-id';
import { PartitionProducer } from './partition-producer';
import type { OutgoingMessage, PartitionProducerConfig } from './partition-producer';
import { RoundRobinRouter, partitionForKey } from './partitioning';
import type { PartitionWatch } from './partition-watch';
import { startAllOrClose, watchPartitions } from './partition-watch';
import { ProducerAccessMode } from './proto/commands';
import { parseTopicName, partitionTopic } from './topic-name';
import type { SchemaInfo } from './schema-info';
import { wireSchema } from './schema-info';

/** Batching settings. Defaults follow the Go client: 10 ms, 1000 messages, 128 KiB. */
export interface BatchingOptions {
  /** Default true. */
  enabled?: boolean;
  /** Longest a message waits for its batch to fill (default 10 ms). */
  maxDelayMs?: number;
  /** Messages per batch (default 1000). */
  maxMessages?: number;
  /** Uncompressed bytes per batch (default 128 KiB). */
  maxBytes?: number;
  /**
   * One open batch per key (default false): batches never mix keys, and interleaved keys still fill
   * them. Turn on when consumers use Key_Shared: the broker dispatches a batch entry by a single key.
   * `maxMessages`/`maxBytes`/`maxDelayMs` then apply to all open key batches together; a message with an
   * explicit `sequenceId` is sent unbatched (ids are assigned when batches are flushed).
   */
  keyBased?: boolean;
}

export type ProducerAccessModeName = keyof typeof ProducerAccessMode;

/** Options for {@link PulsarClient.createProducer}. */
export interface ProducerOptions {
  topic: string;
  /** Fixed producer name; otherwise the broker assigns one (and it is kept across reconnects). */
  producerName?: string;
  batching?: BatchingOptions;
  compression?: CompressionName;
  /**
   * Split a message larger than the broker's max message size (or than `chunkMaxBytes`) into chunks, each
   * its own entry, which consumers reassemble (default false: such a message fails with
   * PULSAR_MESSAGE_TOO_LARGE). Smaller messages are still batched.
   */
  chunking?: boolean;
  /** Largest chunk frame in bytes (default: the broker's max message size, which also caps it). */
  chunkMaxBytes?: number;
  /** Messages accepted but not yet acknowledged, per partition; `send()` waits beyond it (default 1000). */
  maxPendingMessages?: number;
  /**
   * When the producer is full (pending messages, or the client's memory limit), `send()` waits for room
   * (default true) — each waiting call for at most `sendTimeoutMs` — or, with false, fails at once with
   * PULSAR_PRODUCER_QUEUE_FULL (the Java client's default).
   */
  blockIfQueueFull?: boolean;
  /** Calls that may wait for room at once, per partition; beyond it they fail with PULSAR_PRODUCER_QUEUE_FULL (default 10 000). */
  maxWaitingSends?: number;
  /** Fail a send not acknowledged within this time (default 30 000; 0 disables). */
  sendTimeoutMs?: number;
  accessMode?: ProducerAccessModeName;
  /** Create this subscription with the topic, so nothing published before any consumer is lost. */
  initialSubscriptionName?: string;
  /** Producer metadata shown in topic stats. */
  properties?: Record<string, string>;
  /** Sequence id of the last message already published (for external de-duplication schemes). */
  initialSequenceId?: number;
  /**
   * Schema to register on the topic (the broker refuses the producer with PULSAR_INCOMPATIBLE_SCHEMA
   * when the topic's schema policy does not allow it). Payloads are still bytes you encode yourself.
   */
  schema?: SchemaInfo;
}

/** A message to publish. */
export interface ProducerMessage {
  payload: Uint8Array | string;
  /** Partition key: routes to a partition and orders per key on Key_Shared subscriptions. */
  key?: string;
  /** Overrides the key for Key_Shared ordering only. */
  orderingKey?: Uint8Array;
  properties?: Record<string, string>;
  /** Application event time, epoch ms. */
  eventTime?: number | Date;
  /** Explicit sequence id (must increase); otherwise assigned. */
  sequenceId?: number;
  /** Deliver no earlier than this time (epoch ms). Honoured on Shared subscriptions only. */
  deliverAt?: number | Date;
  /** Deliver no earlier than this many ms from now. */
  deliverAfterMs?: number;
}

/** A producer. */
export interface Producer {
  readonly topic: string;
  /** Producer name (of partition 0 for a partitioned topic). */
  readonly producerName: string;
  /** Resolves with the message id once the broker has persisted the message (SEND_RECEIPT). */
  send(msg: ProducerMessage): Promise<MessageId>;
  /** Sends open batches and waits for every pending message. */
  flush(): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
  /** Number of partitions (0 for a non-partitioned topic). */
  readonly numPartitions: number;
  /**
   * The registry's version of `schema` (of partition 0), stamped on every message; undefined without a
   * schema. On Pulsar's built-in registry it is the version number as 8 bytes, big-endian.
   */
  readonly schemaVersion: Uint8Array | undefined;
  /** Messages accepted but not yet acknowledged. */
  readonly pendingCount: number;
}

function toMillis(v: number | Date | undefined): number | undefined {
  return v instanceof Date ? v.getTime() : v;
}

export function toOutgoing(m: ProducerMessage): OutgoingMessage {
  if (m === null || typeof m !== 'object')
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'message must be an object');
  const payload = typeof m.payload === 'string' ? Buffer.from(m.payload, 'utf8') : m.payload;
  if (!(payload instanceof Uint8Array))
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'payload must be a Uint8Array or string');
  let deliverAt = toMillis(m.deliverAt);
  if (deliverAt === undefined && m.deliverAfterMs !== undefined) deliverAt = Date.now() + m.deliverAfterMs;
  return {
    payload,
    key: m.key,
    orderingKey: m.orderingKey,
    properties: m.properties,
    eventTime: toMillis(m.eventTime),
    deliverAt,
    sequenceId: m.sequenceId,
  };
}

export function producerConfig(o: ProducerOptions): PartitionProducerConfig {
  const b = o.batching ?? {};
  const accessMode = ProducerAccessMode[o.accessMode ?? 'Shared'];
  if (accessMode === undefined)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `unknown accessMode '${o.accessMode}'`);
  const cfg: PartitionProducerConfig = {
    producerName: o.producerName,
    batchingEnabled: b.enabled ?? true,
    batchingMaxDelayMs: b.maxDelayMs ?? 10,
    batchingMaxMessages: b.maxMessages ?? 1000,
    batchingMaxBytes: b.maxBytes ?? 128 * 1024,
    keyBasedBatching: b.keyBased ?? false,
    compressionType: compressionType(o.compression),
    chunking: o.chunking ?? false,
    chunkMaxBytes: o.chunkMaxBytes,
    maxPendingMessages: o.maxPendingMessages ?? 1000,
    maxWaitingSends: o.maxWaitingSends ?? 10_000,
    blockIfQueueFull: o.blockIfQueueFull ?? true,
    sendTimeoutMs: o.sendTimeoutMs ?? 30_000,
    accessMode,
    initialSubscriptionName: o.initialSubscriptionName,
    properties: o.properties,
    initialSequenceId: o.initialSequenceId,
    schema: wireSchema(o.schema),
  };
  if (cfg.maxPendingMessages < 1)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'maxPendingMessages must be ≥ 1');
  if (cfg.batchingMaxMessages < 1)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'batching.maxMessages must be ≥ 1');
  if (cfg.chunkMaxBytes !== undefined && !(cfg.chunkMaxBytes >= 1))
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'chunkMaxBytes must be ≥ 1');
  if (!(cfg.maxWaitingSends >= 0))
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'maxWaitingSends must be ≥ 0');
  return cfg;
}

/** @internal Implementation of {@link Producer}. */
export class ProducerImpl implements Producer, Closable {
  private closed = false;

  private watch: PartitionWatch | undefined;

  private constructor(
    private readonly ctx: ClientContext,
    readonly topic: string,
    private readonly parts: PartitionProducer[],
    public numPartitions: number,
    private readonly router: RoundRobinRouter,
  ) {}

  /**
   * Partitions added to the topic: a producer for each new one, started before it takes messages (a
   * failure leaves the count as it was, to be tried again). Keys then hash over the new count, as in the
   * Java client, so a key's messages move to another partition from here on.
   */
  private async grow(cfg: PartitionProducerConfig, from: number, to: number): Promise<void> {
    const added = Array.from(
      { length: to - from },
      (_, k) => new PartitionProducer(this.ctx, partitionTopic(this.topic, from + k), from + k, cfg),
    );
    await startAllOrClose(added);
    if (this.closed) {
      await Promise.allSettled(added.map((p) => p.close()));
      return;
    }
    this.parts.push(...added);
    this.numPartitions = to;
    this.router.resize(to);
  }

  static async create(ctx: ClientContext, opts: ProducerOptions): Promise<ProducerImpl> {
    const topic = parseTopicName(opts.topic).full;
    const cfg = producerConfig(opts);
    const n = await ctx.lookup.partitions(topic);
    const parts =
      n === 0
        ? [new PartitionProducer(ctx, topic, -1, cfg)]
        : Array.from({ length: n }, (_, i) => new PartitionProducer(ctx, partitionTopic(topic, i), i, cfg));
    await startAllOrClose(parts);
    // With batching on, stay on one partition for a batch's worth of keyless messages (as Java does).
    const router = new RoundRobinRouter(
      Math.max(n, 1),
      cfg.batchingEnabled ? Math.max(1, Math.min(cfg.batchingMaxMessages, 100)) : 1,
    );
    const p = new ProducerImpl(ctx, topic, parts, n, router);
    if (n > 0)
      p.watch = watchPartitions(
        ctx,
        topic,
        ctx.partitionDiscoveryIntervalMs,
        () => p.parts.length,
        (from, to) => p.grow(cfg, from, to),
      );
    ctx.track(p);
    return p;
  }

  get producerName(): string {
    return this.parts[0]!.producerName;
  }

  get schemaVersion(): Uint8Array | undefined {
    return this.parts[0]!.schemaVersion;
  }

  get pendingCount(): number {
    let n = 0;
    for (const p of this.parts) n += p.pendingCount;
    return n;
  }

  /** @internal Partition producers (tests, stats). */
  get partitions(): readonly PartitionProducer[] {
    return this.parts;
  }

  send(msg: ProducerMessage): Promise<MessageId> {
    if (this.closed)
      return Promise.reject(new PulsarError('PULSAR_PRODUCER_CLOSED', `producer on ${this.topic} is closed`));
    let out: OutgoingMessage;
    try {
      out = toOutgoing(msg);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const n = this.parts.length;
    const idx = n === 1 ? 0 : out.key !== undefined ? partitionForKey(out.key, n) : this.router.choose();
    return this.parts[idx]!.send(out);
  }

  async flush(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.flush()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watch?.stop();
    this.ctx.untrack(this);
    await Promise.all(this.parts.map((p) => p.close()));
  }
}
