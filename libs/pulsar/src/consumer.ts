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
import { MessageId } from './message-id';
import { NegativeAckTracker } from './negative-acks';
import type { NackEntry } from './negative-acks';
import { PartitionConsumer } from './partition-consumer';
import type {
  CryptoFailureAction,
  MessageSink,
  PartitionConsumerConfig,
  SeekTarget,
  SubscriptionType,
} from './partition-consumer';
import { InitialPosition, SubType } from './proto/commands';
import type { MessageIdData } from './proto/commands';
import type { PartitionWatch } from './partition-watch';
import { startAllOrClose, watchPartitions } from './partition-watch';
import { parseTopicName, partitionTopic } from './topic-name';
import { discoverTopics, parseTopicsPattern, watchTopics } from './topic-discovery';
import type { TopicWatch, TopicsPattern } from './topic-discovery';
import type { SchemaInfo } from './schema-info';
import { wireSchema } from './schema-info';

export type { SubscriptionType, SeekTarget };

/** Options for {@link PulsarClient.subscribe}. */
export interface ConsumerOptions {
  /** One topic, or several to consume as one stream. Either this or `topicsPattern`. */
  topic?: string | string[];
  /**
   * A regex subscription: every topic of one namespace whose full name (without `-partition-N`) matches,
   * e.g. `/persistent:\/\/public\/default\/lane-.*\/` or the same as a string. Tenant and namespace
   * must be literal. Topics created later are subscribed within `patternAutoDiscoveryPeriodMs` (read
   * from `initialPosition`, so use 'earliest' not to miss their first messages); deleted ones are dropped.
   */
  topicsPattern?: RegExp | string;
  /** How often a regex subscription lists its namespace for new and deleted topics (default 60 000 ms). */
  patternAutoDiscoveryPeriodMs?: number;
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
  /** The topics consumed (for a regex subscription: those matching now). */
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
  /**
   * Moves the subscription: to a message id (the next message delivered is that one), or to the first
   * message published at or after `target` (epoch ms). Resolves once the broker has moved it; nothing
   * received before is handed out afterwards, and acks, nacks and batch/chunk state of it are dropped.
   * A time, `MessageId.earliest` or `MessageId.latest` moves every topic (partition); another id moves
   * only the partition it names — the partition of a partitioned topic from the id itself, the topic of a
   * multi-topic consumer from `topic` (e.g. `msg.topic`), as Java moves only the id's owner topic.
   */
  seek(target: SeekTarget, topic?: string): Promise<void>;
  /**
   * The id of the last message of each topic partition (GET_LAST_MESSAGE_ID), keyed by the partition's
   * full topic name (`…-partition-N`; the topic itself when not partitioned). An empty topic's id has
   * entryId −1.
   */
  getLastMessageIds(): Promise<Map<string, MessageId>>;
  /** The same for a consumer of one non-partitioned topic; rejects with PULSAR_INVALID_ARGUMENT otherwise. */
  getLastMessageId(): Promise<MessageId>;
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
    // A regex subscription must not re-create a topic deleted under it (Java: createTopicIfDoesNotExist).
    forceTopicCreation: o.topicsPattern === undefined,
    schema: wireSchema(o.schema),
  };
}

/** Whether `child` consumes `topic` (the topic itself, or one of its partitions). */
function consumes(child: PartitionConsumer, topic: string): boolean {
  return child.topic === topic || child.topic.startsWith(`${topic}-partition-`);
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
  /** Regex subscription: the pattern, and the watch that adds and removes topics. */
  private pattern: TopicsPattern | undefined;
  private topicWatch: TopicWatch | undefined;
  /** The retry topic's full name, when retry is on (not one of `topics`). */
  private retryTopic: string | undefined;

  private constructor(
    private readonly ctx: ClientContext,
    private topicList: string[],
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
        resolveDeadLetterPolicy(deadLetter, topicList[0]!, subscription),
        subscription,
      );
  }

  /**
   * `overrides`: settings the public options do not carry (a reader's start message).
   * @internal
   */
  static async create(
    ctx: ClientContext,
    opts: ConsumerOptions,
    overrides: Partial<PartitionConsumerConfig> = {},
  ): Promise<ConsumerImpl> {
    const cfg = { ...consumerConfig(opts), ...overrides };
    if ((opts.topic === undefined) === (opts.topicsPattern === undefined))
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', 'give either topic or topicsPattern');
    const pattern = opts.topicsPattern !== undefined ? parseTopicsPattern(opts.topicsPattern) : undefined;
    const dl = opts.deadLetter;
    if (pattern && dl && (!dl.deadLetterTopic || (dl.enableRetry && !dl.retryLetterTopic))) {
      // The default names derive from the first topic, which for a pattern is arbitrary and may change.
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        'a topicsPattern subscription with deadLetter needs deadLetterTopic (and retryLetterTopic with enableRetry)',
      );
    }
    const topics = pattern
      ? await discoverTopics(ctx, pattern)
      : (Array.isArray(opts.topic) ? opts.topic : [opts.topic!]).map((t) => parseTopicName(t).full);
    if (topics.length === 0 && !pattern)
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
    if (retryTopic !== undefined) all.push((c.retryTopic = parseTopicName(retryTopic).full));
    try {
      const planned: [topic: string, partition: number][] = [];
      for (const topic of all) planned.push(...(await c.plan(topic)));
      const share = queueShare(cfg, planned.length);
      for (const [t, i] of planned) c.children.push(new PartitionConsumer(ctx, t, i, share, c));
      await startAllOrClose(c.children);
    } catch (e) {
      await c.close();
      throw e;
    }
    if (pattern) {
      c.pattern = pattern;
      c.topicWatch = watchTopics(
        ctx,
        pattern,
        opts.patternAutoDiscoveryPeriodMs ?? 60_000,
        () => c.topicList,
        (added, removed) => c.updateTopics(added, removed),
      );
    }
    ctx.track(c);
    return c;
  }

  get topics(): readonly string[] {
    return this.topicList;
  }

  /**
   * The (topic, partition index) of each consumer `topic` needs (index −1: not partitioned), and a watch
   * for partitions added to it later.
   */
  private async plan(topic: string): Promise<[topic: string, partition: number][]> {
    const n = await this.ctx.lookup.partitions(topic);
    if (n === 0) return [[topic, -1]];
    this.watches.get(topic)?.stop();
    this.watches.set(
      topic,
      watchPartitions(
        this.ctx,
        topic,
        this.ctx.partitionDiscoveryIntervalMs,
        () => this.children.filter((ch) => ch.topic.startsWith(`${topic}-partition-`)).length,
        (from, to) => this.grow(topic, from, to),
      ),
    );
    return Array.from({ length: n }, (_, i) => [partitionTopic(topic, i), i]);
  }

  /**
   * Regex subscription: subscribes to topics that now match (from the subscription's initial position,
   * as Java does) and closes the consumers of topics that no longer exist. A topic that fails to
   * subscribe is left out and tried again at the next discovery.
   */
  private async updateTopics(added: string[], removed: string[]): Promise<void> {
    for (const topic of removed) await this.dropTopic(topic);
    for (const topic of added) {
      try {
        const planned = await this.plan(topic);
        const share = queueShare(this.cfg, this.children.length + planned.length);
        const parts = planned.map(([t, i]) => new PartitionConsumer(this.ctx, t, i, share, this));
        await startAllOrClose(parts);
        if (this.closedWith) {
          await Promise.allSettled(parts.map((ch) => ch.close()));
          return;
        }
        this.children.push(...parts);
        this.topicList = [...this.topicList, topic].sort();
      } catch (e) {
        this.watches.get(topic)?.stop();
        this.watches.delete(topic);
        this.ctx.log.warn('pattern subscription: could not subscribe to a new topic', {
          topic,
          error: (e as Error).message,
        });
      }
    }
  }

  /** Stops consuming `topic` (deleted, or no longer matching). Its queued messages are dropped. */
  private async dropTopic(topic: string): Promise<void> {
    this.watches.get(topic)?.stop();
    this.watches.delete(topic);
    this.topicList = this.topicList.filter((t) => t !== topic);
    const gone = this.children.filter((ch) => consumes(ch, topic));
    this.children = this.children.filter((ch) => !consumes(ch, topic));
    for (const ch of gone) ch.generation++; // void its queued messages
    await Promise.allSettled(gone.map((ch) => ch.close()));
  }

  private readonly watches = new Map<string, PartitionWatch>();

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
    if (this.pattern && err.code === 'PULSAR_TOPIC_NOT_FOUND') {
      // A regex subscription outlives the deletion of one of its topics: drop just that topic.
      const t = parseTopicName(owner.topic);
      const topic =
        t.partition >= 0 ? owner.topic.slice(0, owner.topic.lastIndexOf('-partition-')) : owner.topic;
      this.ctx.log.info('pattern subscription: topic deleted; dropping it', { topic });
      void this.dropTopic(topic);
      return;
    }
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
    for (const w of this.watches.values()) w.stop();
    this.topicWatch?.stop();
    this.nacks.close();
    for (const w of this.waiters.drain()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    this.queue.drain();
  }

  // ---- seek, last message ids ----

  /** The partition consumers a seek to `target` applies to (see {@link Consumer.seek}). */
  private seekTargets(target: SeekTarget, topic: string | undefined): PartitionConsumer[] {
    const named = topic === undefined ? undefined : parseTopicName(topic).full;
    const pool = named === undefined ? this.children : this.children.filter((ch) => consumes(ch, named));
    if (named !== undefined && pool.length === 0)
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', `${named} is not consumed by this consumer`);
    if (typeof target === 'number' || target.ledgerId < 0 || target.ledgerId === MessageId.latest.ledgerId)
      return pool;
    const owners = pool.length === 1 ? pool : pool.filter((ch) => ch.partitionIndex === target.partition);
    if (owners.length !== 1) {
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        `cannot tell which topic message id ${target.toString()} belongs to; pass its topic: seek(id, msg.topic)`,
      );
    }
    return owners;
  }

  async seek(target: SeekTarget, topic?: string): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    if (typeof target === 'number' && !(Number.isFinite(target) && target >= 0))
      throw new PulsarError('PULSAR_INVALID_ARGUMENT', `invalid seek time ${target}`);
    const targets = this.seekTargets(target, topic);
    // Nacks of messages from before the seek would ask the broker to redeliver (or dead-letter) them.
    const ids = new Set(targets.map((ch) => `${ch.consumerId}:`));
    const stale = (key: string) => ids.has(key.slice(0, key.indexOf(':') + 1));
    this.nacks.removeWhere(stale);
    for (const key of [...this.nackCounts.keys()]) if (stale(key)) this.nackCounts.delete(key);
    await Promise.all(targets.map((ch) => ch.seek(target)));
  }

  /** The partition consumers of the subscribed topics (not of the retry topic). */
  private topicChildren(): PartitionConsumer[] {
    const retry = this.retryTopic;
    return retry === undefined ? this.children : this.children.filter((ch) => !consumes(ch, retry));
  }

  async getLastMessageIds(): Promise<Map<string, MessageId>> {
    if (this.closedWith) throw this.closedWith;
    const children = this.topicChildren();
    const ids = await Promise.all(children.map((ch) => ch.getLastMessageId()));
    return new Map(children.map((ch, i) => [ch.topic, ids[i]!]));
  }

  async getLastMessageId(): Promise<MessageId> {
    if (this.closedWith) throw this.closedWith;
    const children = this.topicChildren();
    if (children.length !== 1 || children[0]!.partitionIndex >= 0)
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        'getLastMessageId() needs one non-partitioned topic; use getLastMessageIds()',
      );
    return children[0]!.getLastMessageId();
  }

  /**
   * @internal Readers: whether a message after the last one handed out exists — queued here, or on the
   * broker for any partition.
   */
  async hasMessageAvailable(): Promise<boolean> {
    if (this.closedWith) throw this.closedWith;
    for (const m of this.queue) if (m.generation === (m.owner as PartitionConsumer).generation) return true;
    const answers = await Promise.all(this.topicChildren().map((ch) => ch.hasMessageAvailable()));
    return answers.some(Boolean);
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
        `consumer ${this.subscription} on ${this.topicList.join(',')} is closed`,
      ),
    );
    this.ctx.untrack(this);
    await Promise.allSettled(this.children.map((c) => c.close()));
    await this.router?.close();
  }
}
