/**
 * The public consumer: one {@link PartitionConsumer} per topic partition (plus the retry topic when
 * retry is on), merged into one receive queue. The queue is bounded by flow permits, so an application
 * that stops calling `receive()` (or stops iterating) stops the broker from sending more: backpressure.
 */
import type { ClientContext, Closable } from './client-context';
import { DeadLetterRouter, resolveDeadLetterPolicy } from './dead-letter';
import type { DeadLetterPolicy } from './dead-letter';
import { Deque } from './deque';
import { PulsarError, isPulsarError } from './errors';
import type { Message } from './message';
import { ReceivedMessage } from './message';
import type { MessageId } from './message-id';
import { NegativeAckTracker } from './negative-acks';
import type { NackEntry } from './negative-acks';
import { PartitionConsumer } from './partition-consumer';
import type {
  CryptoFailureAction,
  MessageSink,
  PartitionConsumerConfig,
  SubscriptionType,
} from './partition-consumer';
import { InitialPosition, SubType } from './proto/commands';
import type { MessageIdData } from './proto/commands';
import type { PartitionWatch } from './partition-watch';
import { startAllOrClose, watchPartitions } from './partition-watch';
import { parseTopicName, partitionTopic } from './topic-name';
import type { SchemaInfo } from './schema-info';
import { wireSchema } from './schema-info';

export type { SubscriptionType };

/** Options for {@link PulsarClient.subscribe}. */
export interface ConsumerOptions {
  /** One topic, or several to consume as one stream. */
  topic: string | string[];
  subscription: string;
  /** Default 'Exclusive'. */
  type?: SubscriptionType;
  consumerName?: string;
  /** Messages prefetched per partition (default 1000). */
  receiverQueueSize?: number;
  /**
   * Messages prefetched across all partitions and topics of this consumer (default 50 000, as the Java
   * client): with many partitions each one's queue shrinks to this divided by their number (at least 1),
   * so a wide topic cannot make the consumer buffer partitions × receiverQueueSize messages. Partitions
   * added later get their share of the total at that time.
   */
  maxTotalReceiverQueueSizeAcrossPartitions?: number;
  /** Where a new subscription starts (default 'latest'). */
  initialPosition?: 'latest' | 'earliest';
  /**
   * false: a non-durable subscription — no cursor is kept on the broker, it disappears when the
   * consumer closes, and after a reconnect it resumes after the last message handed to the application
   * (from `initialPosition` if none was) — for tails and previews.
   * Default true.
   */
  durable?: boolean;
  /** Delay before a nacked message is redelivered (default 60 000 ms). */
  nackRedeliveryDelayMs?: number;
  deadLetter?: DeadLetterPolicy;
  /** Ack grouping window (default 100 ms; 0 sends at the end of the current tick). */
  ackGroupingMs?: number;
  /**
   * `ack()`/`ackCumulative()` resolve only once the broker confirmed the acknowledgement (and reject
   * with its error), instead of at once (default false; the Java client's `ackReceiptEnabled`). Costs
   * one response per ACK command sent (acks are still grouped). A message of a batch entry not yet
   * complete resolves at once: nothing is sent for it until its whole entry is acked.
   */
  ackReceipts?: boolean;
  /** Key_Shared: let the broker deliver a key's messages out of order for throughput (default false). */
  keySharedAllowOutOfOrder?: boolean;
  priorityLevel?: number;
  readCompacted?: boolean;
  replicateSubscriptionState?: boolean;
  /**
   * Failover: this long after becoming the active consumer, check with the broker that the handover
   * did not stall (a broker race can leave the unacked backlog undispatched; see dispatch-stall.ts)
   * and ask for redelivery if it did. Default 2000 ms; 0 turns the check off.
   */
  failoverStallCheckMs?: number;
  /**
   * Shared/Key_Shared: after this long with nothing received and nothing queued, ask the broker whether
   * the subscription has a backlog, and if so grant one extra permit to wake a dispatcher a broker race
   * left idle (see dispatch-stall.ts). Default 5000 ms; 0 turns the check off.
   */
  starvationCheckMs?: number;
  /**
   * Encrypted messages (this client cannot decrypt): 'fail' (default) leaves them on the subscription,
   * negatively acknowledged — redelivered after the nack delay, dead-lettered per policy; 'discard' acks
   * them with a DecryptionError, so they are gone.
   */
  cryptoFailureAction?: CryptoFailureAction;
  /**
   * Chunked messages being reassembled at once, per partition (default 10); when full, the oldest
   * incomplete one is given up — left unacked and asked for again, never lost.
   */
  maxPendingChunkedMessages?: number;
  /** An incomplete chunked message older than this is given up the same way (default 60 000 ms). */
  chunkExpireMs?: number;
  /** Consumer metadata shown in stats. */
  properties?: Record<string, string>;
  subscriptionProperties?: Record<string, string>;
  /**
   * Schema this consumer expects: the broker refuses the subscription with PULSAR_INCOMPATIBLE_SCHEMA
   * when the topic's schema is not compatible with it (and may register it on a topic without one).
   * Payloads are still delivered as bytes.
   */
  schema?: SchemaInfo;
}

/** A consumer. Also an async iterable: `for await (const msg of consumer)` ends when it is closed. */
export interface Consumer extends AsyncIterable<Message> {
  readonly topics: readonly string[];
  readonly subscription: string;
  readonly type: SubscriptionType;
  /** Next message; waits for one. With `timeoutMs`, rejects with PULSAR_TIMEOUT when none arrives. */
  receive(timeoutMs?: number): Promise<Message>;
  /** Acknowledges one message (grouped; resolves once recorded). */
  ack(msg: Message): Promise<void>;
  /** Acknowledges everything up to and including `msg`. Not allowed on Shared and Key_Shared. */
  ackCumulative(msg: Message): Promise<void>;
  /** Asks for redelivery after the nack delay; dead-letters instead once redeliveries are exhausted. */
  nack(msg: Message, reason?: string): void;
  /** Publishes `msg` to the dead-letter topic now, then acks it. */
  deadLetter(msg: Message, reason?: string): Promise<void>;
  /** Publishes `msg` to the retry topic for redelivery after `delayMs`, then acks it. Needs retry enabled. */
  reconsumeLater(
    msg: Message,
    delayMs: number,
    reason?: string,
    properties?: Record<string, string>,
  ): Promise<void>;
  /** Deletes the subscription and closes. */
  unsubscribe(): Promise<void>;
  close(): Promise<void>;
  /** Messages waiting in the local queue. */
  readonly queued: number;
  /**
   * True once every topic (partition) of this consumer is terminated and everything on it was
   * delivered; from then on, once the local queue is empty, `receive()` rejects with
   * PULSAR_END_OF_TOPIC and async iteration ends.
   */
  hasReachedEndOfTopic(): boolean;
}

/** Messages whose nacks an Exclusive/Failover consumer counts at once. */
const MAX_COUNTED_NACKS = 10_000;

interface Waiter {
  resolve(m: ReceivedMessage): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | undefined;
}

function consumerConfig(o: ConsumerOptions): PartitionConsumerConfig {
  const type = o.type ?? 'Exclusive';
  const subType = SubType[type];
  if (subType === undefined)
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', `unknown subscription type '${type}'`);
  if (!o.subscription) throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'subscription is required');
  if (o.receiverQueueSize !== undefined && !(o.receiverQueueSize >= 1)) {
    // A zero-size queue needs per-receive permits, which this client does not implement.
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'receiverQueueSize must be ≥ 1');
  }
  const maxTotal = o.maxTotalReceiverQueueSizeAcrossPartitions;
  if (maxTotal !== undefined && !(maxTotal >= 1))
    throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'maxTotalReceiverQueueSizeAcrossPartitions must be ≥ 1');
  return {
    subscription: o.subscription,
    subType,
    consumerName: o.consumerName,
    receiverQueueSize: o.receiverQueueSize ?? 1000,
    maxTotalReceiverQueueSize: maxTotal ?? 50_000,
    initialPosition: o.initialPosition === 'earliest' ? InitialPosition.Earliest : InitialPosition.Latest,
    ackGroupingMs: o.ackGroupingMs ?? 100,
    ackReceipts: o.ackReceipts ?? false,
    priorityLevel: o.priorityLevel,
    readCompacted: o.readCompacted ?? false,
    replicateSubscriptionState: o.replicateSubscriptionState ?? false,
    allowOutOfOrderDelivery: o.keySharedAllowOutOfOrder ?? false,
    properties: o.properties,
    subscriptionProperties: o.subscriptionProperties,
    durable: o.durable ?? true,
    failoverStallCheckMs: o.failoverStallCheckMs ?? 2_000,
    starvationCheckMs: o.starvationCheckMs ?? 5_000,
    cryptoFailureAction: o.cryptoFailureAction ?? 'fail',
    maxPendingChunkedMessages: o.maxPendingChunkedMessages ?? 10,
    chunkExpireMs: o.chunkExpireMs ?? 60_000,
    schema: wireSchema(o.schema),
  };
}

/** The config for each of `n` partition consumers: its share of the total receive queue. */
function queueShare(cfg: PartitionConsumerConfig, n: number): PartitionConsumerConfig {
  const size = Math.min(cfg.receiverQueueSize, Math.max(1, Math.floor(cfg.maxTotalReceiverQueueSize / n)));
  return size === cfg.receiverQueueSize ? cfg : { ...cfg, receiverQueueSize: size };
}

/** @internal Implementation of {@link Consumer}. */
export class ConsumerImpl implements Consumer, MessageSink, Closable {
  private readonly queue = new Deque<ReceivedMessage>();
  private readonly waiters = new Deque<Waiter>();
  private children: PartitionConsumer[] = [];
  private readonly nacks: NegativeAckTracker<ReceivedMessage>;
  /**
   * Exclusive/Failover: the broker counts no redeliveries on these subscriptions (it can only rewind),
   * so a nacked message would come back with redeliveryCount 0 forever and never reach the dead-letter
   * topic. Nacks are counted here instead, per message, until it is acked (bounded; oldest forgotten).
   */
  private readonly nackCounts = new Map<string, number>();
  private readonly router: DeadLetterRouter | undefined;
  private closedWith: PulsarError | undefined;
  private closed = false;

  private constructor(
    private readonly ctx: ClientContext,
    readonly topics: readonly string[],
    readonly subscription: string,
    readonly type: SubscriptionType,
    private readonly cfg: PartitionConsumerConfig,
    nackDelayMs: number,
    deadLetter: DeadLetterPolicy | undefined,
  ) {
    this.nacks = new NegativeAckTracker<ReceivedMessage>(nackDelayMs, (due) => this.onNacksDue(due));
    if (deadLetter)
      this.router = new DeadLetterRouter(
        ctx,
        resolveDeadLetterPolicy(deadLetter, topics[0]!, subscription),
        subscription,
      );
  }

  static async create(ctx: ClientContext, opts: ConsumerOptions): Promise<ConsumerImpl> {
    const cfg = consumerConfig(opts);
    const topics = (Array.isArray(opts.topic) ? opts.topic : [opts.topic]).map((t) => parseTopicName(t).full);
    if (topics.length === 0)
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'at least one topic is required');
    const c = new ConsumerImpl(
      ctx,
      topics,
      cfg.subscription,
      opts.type ?? 'Exclusive',
      cfg,
      opts.nackRedeliveryDelayMs ?? 60_000,
      opts.deadLetter,
    );
    const all = [...topics];
    const retryTopic = c.router?.policy.retryLetterTopic;
    if (retryTopic !== undefined) all.push(parseTopicName(retryTopic).full);
    try {
      const planned: [topic: string, partition: number][] = [];
      for (const topic of all) {
        const n = await ctx.lookup.partitions(topic);
        if (n === 0) planned.push([topic, -1]);
        else {
          for (let i = 0; i < n; i++) planned.push([partitionTopic(topic, i), i]);
          c.watches.push(
            watchPartitions(
              ctx,
              topic,
              ctx.partitionDiscoveryIntervalMs,
              () => c.children.filter((ch) => ch.topic.startsWith(`${topic}-partition-`)).length,
              (from, to) => c.grow(topic, from, to),
            ),
          );
        }
      }
      const share = queueShare(cfg, planned.length);
      for (const [t, i] of planned) c.children.push(new PartitionConsumer(ctx, t, i, share, c));
      await startAllOrClose(c.children);
    } catch (e) {
      await c.close();
      throw e;
    }
    ctx.track(c);
    return c;
  }

  private readonly watches: PartitionWatch[] = [];

  /**
   * Partitions added to `topic`: a consumer for each new one. A partition that did not exist when this
   * consumer subscribed holds only messages published since it was added, so it is read from its start
   * whatever `initialPosition` says — nothing published there is skipped.
   */
  private async grow(topic: string, from: number, to: number): Promise<void> {
    const cfg = {
      ...queueShare(this.cfg, this.children.length + to - from),
      initialPosition: InitialPosition.Earliest,
    };
    const added = Array.from(
      { length: to - from },
      (_, k) => new PartitionConsumer(this.ctx, partitionTopic(topic, from + k), from + k, cfg, this),
    );
    await startAllOrClose(added);
    if (this.closedWith) {
      await Promise.allSettled(added.map((ch) => ch.close()));
      return;
    }
    this.children.push(...added);
  }

  /** @internal The per-partition consumers (tests, stats). */
  get partitions(): readonly PartitionConsumer[] {
    return this.children;
  }

  get queued(): number {
    return this.queue.length;
  }

  // ---- MessageSink ----

  undeliverable(owner: PartitionConsumer, msg: ReceivedMessage, reason: string): void {
    if (this.closedWith) return;
    this.nacks.add(this.nackKey(owner, msg.id), msg, reason);
  }

  deliver(owner: PartitionConsumer, msgs: ReceivedMessage[]): void {
    if (this.nackCounts.size > 0) {
      for (const m of msgs) {
        const nacked = this.nackCounts.get(this.nackKey(owner, m.id));
        if (nacked !== undefined && nacked > m.redeliveryCount) m.redeliveryCount = nacked;
      }
    }
    let i = 0;
    while (i < msgs.length && this.waiters.length > 0 && this.queue.length === 0) {
      const w = this.waiters.shift()!;
      if (w.timer) clearTimeout(w.timer);
      const m = msgs[i++]!;
      owner.messageProcessed(m);
      w.resolve(m);
    }
    for (; i < msgs.length; i++) {
      this.queue.push(msgs[i]!);
      owner.queued++;
    }
  }

  /**
   * One partition can no longer be consumed (subscription deleted, authorization revoked, …). Going on
   * with the others would silently stop a share of the stream: the whole consumer stops instead, and
   * receive() rejects with the cause.
   */
  failed(owner: PartitionConsumer, err: PulsarError): void {
    this.ctx.log.error('partition consumer stopped; closing the consumer', {
      topic: owner.topic,
      error: err.message,
    });
    const cause = new PulsarError(err.code, `${owner.topic}: ${err.message}`, {
      retryable: false,
      cause: err,
    });
    this.shutdown(cause);
    for (const c of this.children) if (c !== owner) void c.close();
  }

  reachedEndOfTopic(_owner: PartitionConsumer): void {
    if (!this.hasReachedEndOfTopic() || this.queue.length > 0) return;
    this.rejectWaitersAtEnd();
  }

  hasReachedEndOfTopic(): boolean {
    return this.children.length > 0 && this.children.every((c) => c.reachedEnd);
  }

  private endOfTopic(): PulsarError {
    return new PulsarError('PULSAR_END_OF_TOPIC', `reached the end of terminated ${this.topics.join(', ')}`, {
      retryable: false,
    });
  }

  private rejectWaitersAtEnd(): void {
    for (const w of this.waiters.drain()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(this.endOfTopic());
    }
  }

  // ---- receiving ----

  private nextValid(): ReceivedMessage | undefined {
    for (;;) {
      const m = this.queue.shift();
      if (m === undefined) return undefined;
      const owner = m.owner as PartitionConsumer;
      if (m.generation !== owner.generation) continue; // voided by a reconnect: it will be redelivered
      owner.queued--;
      owner.messageProcessed(m);
      return m;
    }
  }

  receive(timeoutMs?: number): Promise<Message> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const m = this.nextValid();
    if (m) return Promise.resolve(m);
    if (this.hasReachedEndOfTopic()) return Promise.reject(this.endOfTopic());
    return new Promise<Message>((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        w.timer = setTimeout(() => {
          this.waiters.filter((x) => x !== w);
          reject(new PulsarError('PULSAR_TIMEOUT', `no message within ${timeoutMs} ms`, { retryable: true }));
        }, timeoutMs);
      }
      this.waiters.push(w);
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return {
      next: async () => {
        try {
          return { value: await this.receive(), done: false };
        } catch (e) {
          if (this.closedWith && this.closedWith.code === 'PULSAR_CONSUMER_CLOSED')
            return { value: undefined, done: true };
          if (isPulsarError(e) && e.code === 'PULSAR_END_OF_TOPIC') return { value: undefined, done: true };
          throw e;
        }
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  // ---- acknowledging ----

  private ownerOf(msg: Message): PartitionConsumer {
    if (msg instanceof ReceivedMessage) return msg.owner as PartitionConsumer;
    const id = msg.id;
    const c =
      this.children.find((ch) => ch.topic === msg.topic) ??
      this.children.find((ch) => ch.partitionIndex === id.partition);
    if (!c)
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        `message from ${msg.topic} does not belong to this consumer`,
      );
    return c;
  }

  private nackKey(owner: PartitionConsumer, id: MessageId): string {
    return `${owner.consumerId}:${id.ledgerId}:${id.entryId}:${id.batchIndex}`;
  }

  ack(msg: Message): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    try {
      const owner = this.ownerOf(msg);
      const receipt = owner.acks.ack(msg.id);
      if (this.nacks.size > 0) this.nacks.remove(this.nackKey(owner, msg.id));
      if (this.nackCounts.size > 0) this.nackCounts.delete(this.nackKey(owner, msg.id));
      return receipt;
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  ackCumulative(msg: Message): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.cfg.subType === SubType.Shared || this.cfg.subType === SubType.Key_Shared) {
      return Promise.reject(
        new PulsarError('PULSAR_NOT_ALLOWED', `cumulative ack is not allowed on ${this.type} subscriptions`),
      );
    }
    try {
      return this.ownerOf(msg).acks.ackCumulative(msg.id);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  nack(msg: Message, reason?: string): void {
    if (this.closedWith) return;
    const owner = this.ownerOf(msg);
    const key = this.nackKey(owner, msg.id);
    if (this.cfg.subType === SubType.Exclusive || this.cfg.subType === SubType.Failover) {
      this.nackCounts.delete(key); // re-inserted last: the map forgets the longest-untouched first
      this.nackCounts.set(key, msg.redeliveryCount + 1);
      if (this.nackCounts.size > MAX_COUNTED_NACKS)
        this.nackCounts.delete(this.nackCounts.keys().next().value!);
    }
    this.nacks.add(key, msg as ReceivedMessage, reason);
  }

  private onNacksDue(due: NackEntry<ReceivedMessage>[]): void {
    const byOwner = new Map<PartitionConsumer, MessageIdData[]>();
    const seen = new Set<string>();
    for (const e of due) {
      const msg = e.message;
      const owner = msg.owner as PartitionConsumer;
      if (this.router?.exhausted(msg)) {
        this.router
          .deadLetter(msg, e.reason)
          .then(() => owner.acks.ack(msg.id))
          .catch((err: unknown) => {
            this.ctx.log.error('dead-letter publish failed; redelivering', {
              topic: msg.topic,
              error: String(err),
            });
            owner.redeliver([msg.id.entryData()]);
          });
        continue;
      }
      const key = `${owner.consumerId}:${msg.id.ledgerId}:${msg.id.entryId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let ids = byOwner.get(owner);
      if (!ids) byOwner.set(owner, (ids = []));
      ids.push(...msg.id.entries());
    }
    for (const [owner, ids] of byOwner) owner.redeliver(ids);
  }

  private requireRouter(): DeadLetterRouter {
    if (!this.router)
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'no deadLetter policy configured on this consumer');
    return this.router;
  }

  async deadLetter(msg: Message, reason?: string): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    await this.requireRouter().deadLetter(msg, reason);
    await this.ack(msg);
  }

  async reconsumeLater(
    msg: Message,
    delayMs: number,
    reason?: string,
    properties?: Record<string, string>,
  ): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    const router = this.requireRouter();
    if (router.policy.retryLetterTopic === undefined) {
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        'retry is not enabled (set deadLetter.enableRetry or retryLetterTopic)',
      );
    }
    await router.retry(msg, delayMs, reason, properties);
    await this.ack(msg);
  }

  // ---- lifecycle ----

  private shutdown(err: PulsarError): void {
    if (this.closedWith) return;
    this.closedWith = err;
    for (const w of this.watches) w.stop();
    this.nacks.close();
    for (const w of this.waiters.drain()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    this.queue.drain();
  }

  async unsubscribe(): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    await Promise.all(this.children.map((c) => c.unsubscribe()));
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shutdown(
      new PulsarError(
        'PULSAR_CONSUMER_CLOSED',
        `consumer ${this.subscription} on ${this.topics.join(',')} is closed`,
      ),
    );
    this.ctx.untrack(this);
    await Promise.allSettled(this.children.map((c) => c.close()));
    await this.router?.close();
  }
}
