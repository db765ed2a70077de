/**
 * The subscription of one consumer to one topic (or one partition of a partitioned topic).
 *
 * Flow control: after every successful SUBSCRIBE the permit count starts from zero and we grant
 * `receiverQueueSize` permits; each message the application takes from the queue (or that we drop
 * locally) earns one permit back, and permits are returned in one FLOW once half the queue's worth has
 * accumulated. The broker therefore never has more than `receiverQueueSize` messages in flight to us.
 *
 * Reconnect: on socket loss or broker CLOSE_CONSUMER we re-lookup and re-SUBSCRIBE with the same
 * consumer id. Messages still queued locally from the old session are voided (the generation counter
 * moves on) because the broker redelivers everything unacknowledged to the new session.
 */
import { AckTracker } from './ack-tracker';
import { ChunkAssembler } from './chunk-assembler';
import { Backoff, sleep } from './backoff';
import type { ClientContext } from './client-context';
import { decompress } from './compression/index';
import type { Connection, ConsumerListener } from './connection';
import { PulsarError, isPulsarError, toPulsarError } from './errors';
import { handoverStalled, hasBacklog, lowerPosition } from './dispatch-stall';
import type { EntryPosition } from './dispatch-stall';
import { parsePayloadSection } from './frame';
import { ReceivedMessage } from './message';
import type { MessageOwner } from './message';
import { MessageId } from './message-id';
import type {
  CommandActiveConsumerChange,
  CommandCloseConsumer,
  CommandGetLastMessageIdResponse,
  CommandMessage,
  CommandSubscribe,
  CommandTopicMigrated,
  MessageIdData,
} from './proto/commands';
import { AckType, CommandType, SubType, ValidationError } from './proto/commands';
import type { MessageMetadata } from './proto/metadata';
import { readSingleMessageMetadata } from './proto/metadata';
import { ProtoReader } from './proto/wire';
import { beforeStart, pastStart } from './start-bound';
import type { StartBound } from './start-bound';
import type { WireSchema } from './schema-info';

export type SubscriptionType = keyof typeof SubType;

/** Settled consumer settings shared by all partition consumers of one consumer. */
export interface PartitionConsumerConfig {
  subscription: string;
  subType: number;
  consumerName: string | undefined;
  receiverQueueSize: number;
  /** Across all partitions of the consumer; `receiverQueueSize` is already this one's share. */
  maxTotalReceiverQueueSize: number;
  initialPosition: number;
  ackGroupingMs: number;
  /** `ack()` resolves once the broker confirmed the ACK (ACK_RESPONSE). */
  ackReceipts: boolean;
  priorityLevel: number | undefined;
  readCompacted: boolean;
  replicateSubscriptionState: boolean;
  allowOutOfOrderDelivery: boolean;
  properties: Record<string, string> | undefined;
  subscriptionProperties: Record<string, string> | undefined;
  /** A non-durable subscription keeps no cursor on the broker: it is gone once its consumer closes. */
  durable: boolean;
  /** Failover: how long after becoming active to check the broker did not stall the handover (0: never). */
  failoverStallCheckMs: number;
  /** Shared/Key_Shared: after this long with nothing received and nothing queued, check for a stalled dispatcher (0: never). */
  starvationCheckMs: number;
  /** 'fail': keep it unacked (nacked); 'discard': ack it with a DecryptionError (it is gone). */
  cryptoFailureAction: CryptoFailureAction;
  maxPendingChunkedMessages: number;
  chunkExpireMs: number;
  /**
   * Non-durable only (readers): where a new subscription starts. Messages before it are dropped by the
   * client (see start-bound.ts); `startMessageIdInclusive` keeps the start message itself.
   */
  startMessageId?: MessageId;
  startMessageIdInclusive?: boolean;
  /** Whether SUBSCRIBE may create a missing topic (default true; false for regex subscriptions). */
  forceTopicCreation?: boolean;
  schema: WireSchema | undefined;
}

/** What a seek moves the subscription to: a message id, or the first message published at/after a time. */
export type SeekTarget = MessageId | number;

/** The position before everything / after everything (MessageId.earliest / MessageId.latest). */
function isEdge(id: MessageId): boolean {
  return id.ledgerId < 0 || id.ledgerId === Number.MAX_SAFE_INTEGER;
}

function compareIds(a: MessageId, b: MessageId): number {
  return a.ledgerId - b.ledgerId || a.entryId - b.entryId || a.batchIndex - b.batchIndex;
}

/** Stall checks after one handover: the first, and re-checks after each redelivery it asked for. */
const MAX_HANDOVER_CHECKS = 3;

/** Where a partition consumer hands its messages (the merging parent). */
export interface MessageSink {
  deliver(owner: PartitionConsumer, msgs: ReceivedMessage[]): void;
  /** Called when this partition consumer can no longer work (subscription deleted, fenced…). */
  failed(owner: PartitionConsumer, err: PulsarError): void;
  /**
   * A message the application cannot be given (e.g. encrypted, no key): negatively acknowledge it, so it
   * stays on the subscription and comes back after the nack delay (or goes to the DLQ, per policy).
   */
  undeliverable(owner: PartitionConsumer, msg: ReceivedMessage, reason: string): void;
  /** The broker says this partition's topic is terminated and everything on it was delivered. */
  reachedEndOfTopic(owner: PartitionConsumer): void;
}

/** What to do with an encrypted message this client cannot decrypt. */
export type CryptoFailureAction = 'fail' | 'discard';

const FATAL_CODES = new Set([
  'PULSAR_TOPIC_NOT_FOUND',
  'PULSAR_TOPIC_TERMINATED',
  'PULSAR_AUTHORIZATION',
  'PULSAR_AUTHENTICATION',
  'PULSAR_NOT_ALLOWED',
]);

export class PartitionConsumer implements ConsumerListener, MessageOwner {
  readonly consumerId: number;
  generation = 0;
  /** Messages of the current generation sitting in the parent's queue. */
  queued = 0;
  private cnx: Connection | undefined;
  private state: 'init' | 'connecting' | 'ready' | 'closed' = 'init';
  /** Where the broker said the topic went (CLOSE_CONSUMER / TOPIC_MIGRATED), for the next subscribe. */
  private assigned: string | undefined;
  private availablePermits = 0;
  /** Consumer epoch (Exclusive/Failover redeliver-all): messages stamped with an older one are stale. */
  private epoch = 0;
  private readonly backoff = new Backoff(100, 30_000);
  private reconnecting = false;
  /** start() has succeeded: from then on, losing the connection triggers the reconnect loop. */
  private started = false;
  readonly acks: AckTracker;
  private readonly chunks: ChunkAssembler;
  private readonly flowThreshold: number;
  /** True when this consumer is the active one of a Failover subscription (informational). */
  active = true;
  /** Failover: lowest entry received since this consumer became active, while a stall check is armed. */
  private lowestSinceActive: EntryPosition | undefined;
  /** Failover: a handover stall check is pending (entries received are being tracked). */
  private watchingHandover = false;
  private handoverCheck: NodeJS.Timeout | undefined;
  /**
   * Non-durable: the last message handed to the application. The broker keeps no cursor for such a
   * subscription, so a resubscribe starts from here instead of `initialPosition` (with 'latest',
   * everything published during the gap, and everything queued here but not yet handed out, would be
   * skipped).
   */
  private lastHanded: MessageId | undefined;
  /**
   * Non-durable: where a (re)subscription starts when nothing was handed out yet — the reader's start,
   * or the target of the last seek by id.
   */
  private startAt: { id: MessageId; inclusive: boolean } | undefined;
  /** Messages before this are dropped as they arrive (start-bound.ts); cleared once passed. */
  private startBound: StartBound | undefined;
  /**
   * A SEEK is out on the session of this generation: whatever that session still delivers was read from
   * the old position and is dropped. The broker closes the consumer after a seek; the resubscribe starts
   * a new generation.
   */
  private seekingGeneration = -1;
  /** The last seek was by time: `hasMessageAvailable` compares with the mark-delete position. */
  private soughtByTime = false;
  /** Shared/Key_Shared starvation check (see dispatch-stall.ts): when a message last arrived. */
  private lastMessageAt = Date.now();
  private starvationTimer: NodeJS.Timeout | undefined;
  private checkingStarvation = false;

  constructor(
    private readonly ctx: ClientContext,
    readonly topic: string,
    readonly partitionIndex: number,
    private readonly cfg: PartitionConsumerConfig,
    private readonly sink: MessageSink,
  ) {
    this.consumerId = ctx.newConsumerId();
    if (cfg.startMessageId !== undefined)
      this.startAt = { id: cfg.startMessageId, inclusive: cfg.startMessageIdInclusive ?? false };
    this.acks = new AckTracker((ids, cumulative, receipt) => this.sendAcks(ids, cumulative, receipt), {
      groupingMs: cfg.ackGroupingMs,
      receipts: cfg.ackReceipts,
    });
    this.flowThreshold = Math.max(1, Math.floor(cfg.receiverQueueSize / 2));
    this.chunks = new ChunkAssembler(cfg.maxPendingChunkedMessages, cfg.chunkExpireMs, (entries, why) => {
      this.ctx.log.warn(`${why}; asking for its chunks again`, { topic: this.topic, chunks: entries.length });
      this.redeliver(entries);
    });
  }

  get connected(): boolean {
    return this.state === 'ready';
  }

  /** First subscription; retryable failures are retried until the operation timeout. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.ctx.operationTimeoutMs;
    for (;;) {
      try {
        await this.subscribeOnce();
        this.started = true;
        this.startStarvationCheck();
        if (this.state !== 'ready' && this.state !== 'closed') this.scheduleReconnect(); // closed by the broker meanwhile
        return;
      } catch (e) {
        const err = toPulsarError(e);
        // ConsumerBusy on the first subscribe means another consumer holds the subscription (Exclusive):
        // fail now. On a reconnect it is transient (the broker has not yet noticed our old connection).
        if (
          !err.retryable ||
          err.code === 'PULSAR_CONSUMER_BUSY' ||
          Date.now() + 100 > deadline ||
          this.ctx.closed
        ) {
          this.state = 'closed';
          throw err;
        }
        await sleep(Math.min(this.backoff.next(), Math.max(0, deadline - Date.now())));
      }
    }
  }

  private async subscribeOnce(): Promise<void> {
    this.state = 'connecting';
    // The broker the topic was handed to, if the broker said so (used once); else a lookup.
    const assigned = this.assigned;
    this.assigned = undefined;
    let cnx: Connection;
    if (assigned) cnx = await this.ctx.pool.get(assigned, assigned);
    else {
      const addr = await this.ctx.lookup.lookup(this.topic);
      cnx = await this.ctx.pool.get(addr.logicalAddress, addr.physicalAddress);
    }
    if (this.state !== 'connecting') return;
    // Void whatever the previous session left in the queue: the broker redelivers it.
    this.generation++;
    this.queued = 0;
    this.availablePermits = 0;
    this.chunks.clear();
    cnx.registerConsumer(this.consumerId, this);
    const cfg = this.cfg;
    const body: CommandSubscribe = {
      topic: this.topic,
      subscription: cfg.subscription,
      subType: cfg.subType,
      consumerId: this.consumerId,
      requestId: this.ctx.newRequestId(),
      initialPosition: cfg.initialPosition,
      durable: cfg.durable,
      forceTopicCreation: cfg.forceTopicCreation ?? true,
      ...(cfg.consumerName !== undefined ? { consumerName: cfg.consumerName } : {}),
      ...(cfg.priorityLevel !== undefined ? { priorityLevel: cfg.priorityLevel } : {}),
      ...(cfg.readCompacted ? { readCompacted: true } : {}),
      ...(cfg.replicateSubscriptionState ? { replicateSubscriptionState: true } : {}),
      ...(cfg.subType === SubType.Key_Shared
        ? { keySharedMeta: { keySharedMode: 0, allowOutOfOrderDelivery: cfg.allowOutOfOrderDelivery } }
        : {}),
      ...(cfg.properties
        ? { metadata: Object.entries(cfg.properties).map(([key, value]) => ({ key, value })) }
        : {}),
      ...(cfg.subscriptionProperties
        ? {
            subscriptionProperties: Object.entries(cfg.subscriptionProperties).map(([key, value]) => ({
              key,
              value,
            })),
          }
        : {}),
      ...(cfg.schema ? { schema: cfg.schema } : {}),
      ...(this.usesEpoch() ? { consumerEpoch: this.epoch } : {}),
      ...this.resumePosition(),
    };
    try {
      await cnx.request({ type: CommandType.SUBSCRIBE, body });
    } catch (e) {
      cnx.removeConsumer(this.consumerId);
      if (isPulsarError(e) && e.code === 'PULSAR_TIMEOUT') {
        // The broker may still complete it, and an orphan would hold the subscription (Exclusive) or
        // take messages nobody reads: tell it to drop this one before we retry (protocol spec).
        cnx.send({
          type: CommandType.CLOSE_CONSUMER,
          body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
        });
      }
      throw e;
    }
    if (this.state !== 'connecting') {
      cnx.removeConsumer(this.consumerId);
      cnx.send({
        type: CommandType.CLOSE_CONSUMER,
        body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
      });
      return;
    }
    if (!cnx.hasConsumer(this.consumerId, this)) {
      // CLOSE_CONSUMER raced with the SUBSCRIBE response: this subscription is void, try again.
      throw new PulsarError('PULSAR_SERVICE_NOT_READY', 'consumer closed by broker while subscribing');
    }
    this.cnx = cnx;
    this.state = 'ready';
    this.backoff.reset();
    // Acks made while disconnected go out before the permits: the broker processes commands in order,
    // so it cannot dispatch (redeliver) a message this consumer has already acknowledged.
    this.acks.flush();
    if (cfg.receiverQueueSize > 0) this.sendFlow(cfg.receiverQueueSize);
    this.ctx.log.debug('consumer subscribed', { topic: this.topic, subscription: cfg.subscription });
  }

  /**
   * Where a non-durable (re)subscription starts: after the last message handed out, else at the
   * reader's start or the last seek target. The broker delivers from the `startMessageId` entry itself
   * (inclusive, whatever the batch index), so the client drops what comes before the wanted start
   * (`startBound`), as the Java and Go clients do.
   */
  private resumePosition(): { startMessageId?: MessageIdData } {
    if (this.cfg.durable) return {};
    const last = this.lastHanded;
    const from = last !== undefined ? { id: last, inclusive: false } : this.startAt;
    if (from === undefined) return {};
    const id = from.id;
    this.startBound = isEdge(id)
      ? undefined
      : { ledgerId: id.ledgerId, entryId: id.entryId, batchIndex: id.batchIndex, inclusive: from.inclusive };
    return { startMessageId: { ledgerId: id.ledgerId, entryId: id.entryId } };
  }

  private usesEpoch(): boolean {
    return this.cfg.subType === SubType.Exclusive || this.cfg.subType === SubType.Failover;
  }

  private scheduleReconnect(): void {
    // Before start() has succeeded, start() itself retries; a second loop would subscribe twice.
    if (!this.started || this.reconnecting || this.state === 'closed') return;
    this.state = 'connecting';
    this.reconnecting = true;
    void (async () => {
      try {
        while (!this.ctx.closed && this.state === 'connecting') {
          await sleep(this.backoff.next());
          if (this.state !== 'connecting') return;
          try {
            await this.subscribeOnce();
            return;
          } catch (e) {
            const err = toPulsarError(e);
            this.ctx.log.warn('consumer reconnect failed', {
              topic: this.topic,
              error: err.message,
              code: err.code,
            });
            if (FATAL_CODES.has(err.code)) {
              this.state = 'closed';
              this.stopStarvationCheck();
              this.sink.failed(this, err);
              return;
            }
            this.state = 'connecting';
          }
        }
      } finally {
        this.reconnecting = false;
      }
    })();
  }

  // ---- ConsumerListener ----

  onConnectionClosed(cnx: Connection): void {
    if (cnx !== this.cnx) return;
    this.cnx = undefined;
    this.scheduleReconnect();
  }

  onClosedByBroker(cmd: CommandCloseConsumer | CommandTopicMigrated): void {
    this.cnx = undefined;
    this.assigned = this.ctx.lookup.assignedBroker(cmd);
    this.ctx.log.info('consumer closed by broker; resubscribing', {
      topic: this.topic,
      ...(this.assigned ? { assignedBroker: this.assigned } : {}),
    });
    this.scheduleReconnect();
  }

  /** Terminated topic, and nothing left to deliver (REACHED_END_OF_TOPIC). */
  reachedEnd = false;

  onReachedEndOfTopic(): void {
    this.reachedEnd = true;
    this.sink.reachedEndOfTopic(this);
  }

  onActiveConsumerChange(cmd: CommandActiveConsumerChange): void {
    this.active = cmd.isActive ?? false;
    this.cancelHandoverCheck();
    if (this.active && this.cfg.subType === SubType.Failover && this.cfg.failoverStallCheckMs > 0)
      this.armHandoverCheck(1);
  }

  // ---- Shared/Key_Shared starvation check (see dispatch-stall.ts for the broker race it covers) ----

  private startStarvationCheck(): void {
    const every = this.cfg.starvationCheckMs;
    if (every <= 0 || (this.cfg.subType !== SubType.Shared && this.cfg.subType !== SubType.Key_Shared))
      return;
    this.starvationTimer = setInterval(() => void this.checkStarvation(), every);
    this.starvationTimer.unref();
  }

  private stopStarvationCheck(): void {
    if (this.starvationTimer) clearInterval(this.starvationTimer);
    this.starvationTimer = undefined;
  }

  /** Nothing arrived for a while, nothing is queued, no nudge outstanding: starving, if there is a backlog. */
  private starving(): boolean {
    return (
      this.state === 'ready' &&
      this.queued === 0 &&
      this.availablePermits >= 0 &&
      Date.now() - this.lastMessageAt >= this.cfg.starvationCheckMs
    );
  }

  private async checkStarvation(): Promise<void> {
    const cnx = this.cnx;
    if (!cnx || this.checkingStarvation || !this.starving()) return;
    this.checkingStarvation = true;
    try {
      const answer = await this.requestLastMessageId(cnx);
      const markDelete = answer.consumerMarkDeletePosition;
      if (!markDelete || cnx !== this.cnx || !this.starving()) return;
      if (!hasBacklog(markDelete, answer.lastMessageId)) return;
      this.ctx.log.debug('consumer starving with a backlog; one permit to wake the dispatcher', {
        topic: this.topic,
        subscription: this.cfg.subscription,
      });
      // One permit beyond the queue size, paid back from the next permits returned.
      this.sendFlow(1);
      this.availablePermits -= 1;
    } catch {
      // Next interval, or the reconnect, tries again.
    } finally {
      this.checkingStarvation = false;
    }
  }

  // ---- Failover handover stall check (see dispatch-stall.ts for the broker race it covers) ----

  private armHandoverCheck(attempt: number): void {
    this.lowestSinceActive = undefined;
    this.watchingHandover = true;
    this.handoverCheck = setTimeout(() => {
      this.handoverCheck = undefined;
      void this.checkHandover(attempt);
    }, this.cfg.failoverStallCheckMs);
    this.handoverCheck.unref();
  }

  private cancelHandoverCheck(): void {
    if (this.handoverCheck) clearTimeout(this.handoverCheck);
    this.handoverCheck = undefined;
    this.watchingHandover = false;
    this.lowestSinceActive = undefined;
  }

  private async checkHandover(attempt: number): Promise<void> {
    const cnx = this.cnx;
    if (!cnx || this.state !== 'ready' || !this.active || !this.watchingHandover) return;
    let answer: CommandGetLastMessageIdResponse;
    try {
      answer = await this.requestLastMessageId(cnx);
    } catch {
      this.watchingHandover = false;
      return; // a reconnect redelivers everything anyway
    }
    // Taken after the answer: it covers everything the broker dispatched before answering.
    const lowest = this.lowestSinceActive;
    this.watchingHandover = false;
    const markDelete = answer.consumerMarkDeletePosition;
    // Brokers before 2.8 do not report mark-delete: no evidence either way.
    if (!markDelete || cnx !== this.cnx || !this.active) return;
    if (!handoverStalled(lowest, markDelete, answer.lastMessageId)) return;
    this.ctx.log.warn('failover handover stalled on the broker; asking it to redeliver', {
      topic: this.topic,
      subscription: this.cfg.subscription,
      markDelete: `${markDelete.ledgerId}:${markDelete.entryId}`,
      lowestReceived: lowest ? `${lowest.ledgerId}:${lowest.entryId}` : 'none',
    });
    this.redeliver([]);
    if (attempt < MAX_HANDOVER_CHECKS) this.armHandoverCheck(attempt + 1);
  }

  onMessage(cmd: CommandMessage, data: Buffer, payloadStart: number, cnx: Connection): void {
    if (cnx !== this.cnx) return;
    this.lastMessageAt = Date.now();
    const idData = cmd.messageId;
    let parsed;
    try {
      parsed = parsePayloadSection(data, payloadStart);
    } catch {
      this.discard(idData, ValidationError.BatchDeSerializeError, 1);
      return;
    }
    const md = parsed.metadata;
    const numMessages = md.numMessagesInBatch ?? 1;
    if (this.seekingGeneration === this.generation) {
      this.returnPermits(numMessages); // read from the position before the seek
      return;
    }
    if (cmd.consumerEpoch !== undefined && this.usesEpoch() && cmd.consumerEpoch < this.epoch) {
      // Dispatched before our redeliver-all: the broker will send it again.
      this.returnPermits(numMessages);
      return;
    }
    if (this.watchingHandover) this.lowestSinceActive = lowerPosition(this.lowestSinceActive, idData);
    if (!parsed.checksumValid) {
      this.ctx.log.error('checksum mismatch; discarding entry', {
        topic: this.topic,
        id: `${idData.ledgerId}:${idData.entryId}`,
      });
      this.discard(idData, ValidationError.ChecksumMismatch, numMessages);
      return;
    }
    if (md.encrypted) {
      this.onUndecryptable(idData, md, parsed.payload, numMessages, cmd.redeliveryCount ?? 0);
      return;
    }
    if (md.numChunksFromMsg !== undefined && md.numChunksFromMsg > 1) {
      this.onChunk(idData, md, parsed.payload, cmd.redeliveryCount ?? 0);
      return;
    }
    let payload: Buffer;
    try {
      payload = decompress(md.compression ?? 0, parsed.payload, md.uncompressedSize ?? parsed.payload.length);
    } catch (e) {
      this.ctx.log.error('decompression failed; discarding', {
        topic: this.topic,
        error: (e as Error).message,
      });
      this.discard(idData, ValidationError.DecompressionError, numMessages);
      return;
    }
    const redeliveryCount = cmd.redeliveryCount ?? 0;
    if (md.numMessagesInBatch === undefined) {
      if (this.beforeStart(idData, -1)) {
        this.returnPermits(1);
        return;
      }
      const id = new MessageId(idData.ledgerId, idData.entryId, this.partitionIndex);
      this.sink.deliver(this, [this.makeMessage(id, payload, md, redeliveryCount)]);
      return;
    }
    this.deliverBatch(idData, md, payload, redeliveryCount, cmd.ackSet);
  }

  private makeMessage(
    id: MessageId,
    payload: Buffer,
    md: MessageMetadata,
    redeliveryCount: number,
  ): ReceivedMessage {
    return new ReceivedMessage(
      id,
      payload,
      md.partitionKey,
      md.orderingKey as Buffer | undefined,
      md.properties ?? {},
      md.publishTime,
      md.eventTime ? md.eventTime : undefined,
      redeliveryCount,
      this.topic,
      md.producerName,
      md.sequenceId,
      md.schemaVersion as Buffer | undefined,
      this,
      this.generation,
    );
  }

  private deliverBatch(
    idData: MessageIdData,
    md: MessageMetadata,
    payload: Buffer,
    redeliveryCount: number,
    ackSet: bigint[] | undefined,
  ): void {
    const n = md.numMessagesInBatch!;
    const state = this.acks.batchState(idData.ledgerId, idData.entryId, n);
    if (ackSet !== undefined && ackSet.length > 0) state.applyBrokerAckSet(ackSet);
    const out: ReceivedMessage[] = [];
    let skipped = 0;
    let pos = 0;
    const r = new ProtoReader(payload);
    try {
      for (let i = 0; i < n; i++) {
        const smmSize = payload.readUInt32BE(pos);
        const smmStart = pos + 4;
        const smmEnd = smmStart + smmSize;
        r.pos = smmStart;
        const smm = readSingleMessageMetadata(r, smmEnd);
        const body = payload.subarray(smmEnd, smmEnd + smm.payloadSize);
        pos = smmEnd + smm.payloadSize;
        if (pos > payload.length) throw new RangeError('batch entry overruns payload');
        if (!state.isPending(i) || smm.compactedOut || this.beforeStart(idData, i)) {
          skipped++;
          continue;
        }
        const id = new MessageId(idData.ledgerId, idData.entryId, this.partitionIndex, i, n);
        id.batchState = state;
        out.push(
          new ReceivedMessage(
            id,
            body,
            smm.partitionKey ?? md.partitionKey,
            (smm.orderingKey ?? md.orderingKey) as Buffer | undefined,
            smm.properties ?? {},
            md.publishTime,
            smm.eventTime ? smm.eventTime : md.eventTime ? md.eventTime : undefined,
            redeliveryCount,
            this.topic,
            md.producerName,
            smm.sequenceId ?? md.sequenceId + i,
            md.schemaVersion as Buffer | undefined,
            this,
            this.generation,
          ),
        );
      }
    } catch (e) {
      this.ctx.log.error('corrupt batch; discarding', { topic: this.topic, error: (e as Error).message });
      this.discard(idData, ValidationError.BatchDeSerializeError, n);
      return;
    }
    if (skipped > 0) this.returnPermits(skipped);
    if (out.length > 0) this.sink.deliver(this, out);
  }

  /** One chunk of a chunked message (see chunk-assembler.ts); the message is delivered with its last. */
  private onChunk(
    idData: MessageIdData,
    md: MessageMetadata,
    payload: Buffer,
    redeliveryCount: number,
  ): void {
    const result = this.chunks.add(idData, md, payload);
    if (result.kind !== 'complete') {
      // This entry's permit: only the whole message takes one from the application's queue.
      this.returnPermits(1);
      if (result.kind === 'stray') {
        const stray = new MessageId(idData.ledgerId, idData.entryId, this.partitionIndex);
        this.sink.undeliverable(
          this,
          this.makeMessage(stray, payload, md, redeliveryCount),
          'chunk of a message whose earlier chunks did not arrive here',
        );
      }
      return;
    }
    const { entries, payload: whole } = result.message;
    let body: Buffer;
    try {
      body = decompress(md.compression ?? 0, whole, md.uncompressedSize ?? whole.length);
    } catch (e) {
      this.ctx.log.error('decompression of a chunked message failed; discarding', {
        topic: this.topic,
        error: (e as Error).message,
      });
      for (const entry of entries.slice(0, -1)) this.discard(entry, ValidationError.DecompressionError, 0);
      this.discard(idData, ValidationError.DecompressionError, 1);
      return;
    }
    const id = new MessageId(idData.ledgerId, idData.entryId, this.partitionIndex);
    id.chunkEntries = entries.slice(0, -1);
    this.sink.deliver(this, [this.makeMessage(id, body, md, redeliveryCount)]);
  }

  /**
   * An encrypted entry (this client has no decryption). Acking it would delete it from the subscription,
   * so by default it is negatively acknowledged instead, as the Java client's FAIL action keeps it:
   * it comes back after the nack delay, or goes to the dead-letter topic once redeliveries are exhausted.
   */
  private onUndecryptable(
    idData: MessageIdData,
    md: MessageMetadata,
    payload: Buffer,
    numMessages: number,
    redeliveryCount: number,
  ): void {
    const id = `${idData.ledgerId}:${idData.entryId}`;
    if (this.cfg.cryptoFailureAction === 'discard') {
      this.ctx.log.error('encrypted message cannot be decrypted; discarded (cryptoFailureAction)', {
        topic: this.topic,
        id,
      });
      this.discard(idData, ValidationError.DecryptionError, numMessages);
      return;
    }
    this.ctx.log.error('encrypted message cannot be decrypted; left on the subscription (nacked)', {
      topic: this.topic,
      id,
    });
    this.returnPermits(numMessages);
    const msg = this.makeMessage(
      new MessageId(idData.ledgerId, idData.entryId, this.partitionIndex),
      payload,
      md,
      redeliveryCount,
    );
    this.sink.undeliverable(this, msg, 'encrypted message and no decryption key');
  }

  /** Whether message `batchIndex` (−1: not batched) of this entry lies before the start bound. */
  private beforeStart(idData: MessageIdData, batchIndex: number): boolean {
    const b = this.startBound;
    if (b === undefined) return false;
    if (pastStart(b, idData)) {
      this.startBound = undefined; // the stream is past it: stop checking
      return false;
    }
    return beforeStart(b, idData, batchIndex);
  }

  /** Acks an entry we cannot deliver, with the reason, and returns its permits (Java client behaviour). */
  private discard(idData: MessageIdData, validationError: number, numMessages: number): void {
    this.cnx?.send({
      type: CommandType.ACK,
      body: {
        consumerId: this.consumerId,
        ackType: AckType.Individual,
        messageId: [{ ledgerId: idData.ledgerId, entryId: idData.entryId }],
        validationError,
      },
    });
    this.returnPermits(numMessages);
  }

  // ---- flow control ----

  private sendFlow(permits: number): void {
    this.cnx?.send({
      type: CommandType.FLOW,
      body: { consumerId: this.consumerId, messagePermits: permits },
    });
  }

  /** One message of this consumer was handed to the application (or dropped): earn its permit back. */
  messageProcessed(msg: ReceivedMessage): void {
    if (msg.generation !== this.generation) return;
    if (!this.cfg.durable) this.lastHanded = msg.id;
    this.returnPermits(1);
  }

  private returnPermits(n: number): void {
    if (this.cfg.receiverQueueSize <= 0) return;
    this.availablePermits += n;
    if (this.availablePermits >= this.flowThreshold && this.state === 'ready') {
      this.sendFlow(this.availablePermits);
      this.availablePermits = 0;
    }
  }

  // ---- acks ----

  private sendAcks(
    ids: MessageIdData[],
    cumulative: MessageIdData | undefined,
    withReceipt: boolean,
  ): boolean | Promise<void> {
    const cnx = this.cnx;
    if (!cnx || this.state !== 'ready') return false;
    if (withReceipt) {
      // Each ACK carries a request id; the broker answers it with ACK_RESPONSE (protocol 17+).
      const sent: Promise<unknown>[] = [];
      const ack = (ackType: number, messageId: MessageIdData[]) =>
        sent.push(
          cnx.request({
            type: CommandType.ACK,
            body: { consumerId: this.consumerId, ackType, messageId, requestId: this.ctx.newRequestId() },
          }),
        );
      if (ids.length > 0) ack(AckType.Individual, ids);
      if (cumulative) ack(AckType.Cumulative, [cumulative]);
      return Promise.all(sent).then(() => undefined);
    }
    if (ids.length > 0)
      cnx.send({
        type: CommandType.ACK,
        body: { consumerId: this.consumerId, ackType: AckType.Individual, messageId: ids },
      });
    if (cumulative) {
      cnx.send({
        type: CommandType.ACK,
        body: { consumerId: this.consumerId, ackType: AckType.Cumulative, messageId: [cumulative] },
      });
    }
    return true;
  }

  /**
   * Asks the broker to redeliver. Shared/Key_Shared: just these entries. Exclusive/Failover: the broker
   * can only rewind to the first unacked message, so everything queued locally is voided too (with a new
   * consumer epoch, so in-flight stale dispatches are dropped) and its permits returned.
   */
  redeliver(ids: MessageIdData[]): void {
    const cnx = this.cnx;
    if (!cnx || this.state !== 'ready') return; // a reconnect redelivers everything anyway
    if (this.usesEpoch()) {
      const voided = this.queued;
      this.generation++;
      this.queued = 0;
      this.epoch++;
      cnx.send({
        type: CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
        body: { consumerId: this.consumerId, consumerEpoch: this.epoch },
      });
      this.returnPermits(voided);
      return;
    }
    cnx.send({
      type: CommandType.REDELIVER_UNACKNOWLEDGED_MESSAGES,
      body: { consumerId: this.consumerId, messageIds: ids },
    });
  }

  // ---- seek, last message id ----

  /** The current connection once subscribed; waits through a reconnect (e.g. the one a seek causes). */
  private async readyConnection(): Promise<Connection> {
    const deadline = Date.now() + this.ctx.operationTimeoutMs;
    for (;;) {
      if (this.state === 'closed')
        throw new PulsarError('PULSAR_CONSUMER_CLOSED', `consumer on ${this.topic} is closed`);
      if (this.state === 'ready' && this.cnx) return this.cnx;
      if (Date.now() >= deadline)
        throw new PulsarError('PULSAR_TIMEOUT', `consumer on ${this.topic} not connected`, {
          retryable: true,
        });
      await sleep(50);
    }
  }

  /**
   * Moves the subscription (SEEK) to a message id — the next message delivered is that one — or to the
   * first message published at or after `target` ms. Resolves once the broker has moved the cursor.
   * Everything received from the old position is dropped (queued or still arriving), and acks, batch
   * states and partly assembled chunks of it are forgotten; the broker closes the consumer after a seek
   * and the resubscribe delivers from the new position.
   */
  async seek(target: SeekTarget): Promise<void> {
    // Connected: no await before the queue is voided, so a receive() right after seek() gets nothing old.
    const cnx = this.state === 'ready' && this.cnx ? this.cnx : await this.readyConnection();
    const byTime = typeof target === 'number';
    // Acks for old positions go out before the seek: sent after it, they would delete messages the seek
    // has just made deliverable again.
    this.acks.flush();
    const saved = { lastHanded: this.lastHanded, startAt: this.startAt, bound: this.startBound };
    this.generation++; // voids the queue now: nothing read before the seek is handed out afterwards
    this.queued = 0;
    this.seekingGeneration = this.generation;
    this.chunks.clear();
    this.acks.forgetBatches();
    this.lastHanded = undefined;
    this.soughtByTime = byTime;
    this.reachedEnd = false;
    if (byTime) {
      // A non-durable subscription survives the seek's disconnect with its cursor moved: no start to resend.
      this.startAt = undefined;
      this.startBound = undefined;
    } else {
      this.startAt = { id: target, inclusive: true };
      this.startBound = isEdge(target)
        ? undefined
        : {
            ledgerId: target.ledgerId,
            entryId: target.entryId,
            batchIndex: target.batchIndex,
            inclusive: true,
          };
    }
    try {
      await cnx.request({
        type: CommandType.SEEK,
        body: {
          consumerId: this.consumerId,
          requestId: this.ctx.newRequestId(),
          ...(byTime
            ? { messagePublishTime: target }
            : { messageId: { ledgerId: target.ledgerId, entryId: target.entryId } }),
        },
      });
    } catch (e) {
      this.lastHanded = saved.lastHanded;
      this.startAt = saved.startAt;
      this.startBound = saved.bound;
      this.seekingGeneration = -1;
      // The queue was voided: a fresh session gets it back (durable: redelivered; non-durable: resumed).
      this.resubscribe(cnx);
      throw e;
    }
    // The broker closes the consumer after a seek (CLOSE_CONSUMER arrives before SUCCESS); if it did not,
    // resubscribe ourselves, as this session only ever delivers what is dropped.
    if (this.cnx === cnx && this.seekingGeneration === this.generation) this.resubscribe(cnx);
  }

  /** Drops the current session on the broker and subscribes again. */
  private resubscribe(cnx: Connection): void {
    if (cnx !== this.cnx || this.state !== 'ready') return;
    cnx.removeConsumer(this.consumerId);
    cnx.send({
      type: CommandType.CLOSE_CONSUMER,
      body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
    });
    this.cnx = undefined;
    this.scheduleReconnect();
  }

  /**
   * GET_LAST_MESSAGE_ID: the topic's last message and the subscription's mark-delete position. An empty
   * topic's entry id is −1, which the broker writes as a uint64 (2^64 − 1): mapped back to −1 here.
   */
  async lastMessageIdResponse(): Promise<CommandGetLastMessageIdResponse> {
    return this.requestLastMessageId(await this.readyConnection());
  }

  private async requestLastMessageId(cnx: Connection): Promise<CommandGetLastMessageIdResponse> {
    const answer = await cnx.request<CommandGetLastMessageIdResponse>({
      type: CommandType.GET_LAST_MESSAGE_ID,
      body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
    });
    const signed = (d: MessageIdData): MessageIdData => ({
      ...d,
      ledgerId: d.ledgerId > Number.MAX_SAFE_INTEGER ? -1 : d.ledgerId,
      entryId: d.entryId > Number.MAX_SAFE_INTEGER ? -1 : d.entryId,
    });
    return {
      ...answer,
      lastMessageId: signed(answer.lastMessageId),
      ...(answer.consumerMarkDeletePosition
        ? { consumerMarkDeletePosition: signed(answer.consumerMarkDeletePosition) }
        : {}),
    };
  }

  /** The id of the last message in this topic (partition); its entryId is −1 when the topic is empty. */
  async getLastMessageId(): Promise<MessageId> {
    const answer = await this.lastMessageIdResponse();
    return MessageId.fromData(answer.lastMessageId, this.partitionIndex);
  }

  /**
   * Non-durable (readers): whether a message after the last one handed out (or, before any, at/after the
   * start) exists on the broker — queued here, in flight, or not yet dispatched. As Java and Go do.
   */
  async hasMessageAvailable(): Promise<boolean> {
    if (this.queued > 0) return true;
    const answer = await this.lastMessageIdResponse();
    if (this.queued > 0) return true;
    const last = MessageId.fromData(answer.lastMessageId, this.partitionIndex);
    if (last.entryId < 0) return false; // empty topic
    if (this.lastHanded !== undefined) return compareIds(last, this.lastHanded) > 0;
    if (this.soughtByTime) {
      // The seek put mark-delete right before the first message at/after the time.
      const md = answer.consumerMarkDeletePosition;
      return (
        md === undefined ||
        last.ledgerId > md.ledgerId ||
        (last.ledgerId === md.ledgerId && last.entryId > md.entryId)
      );
    }
    const start = this.startAt;
    if (start === undefined || start.id.ledgerId === Number.MAX_SAFE_INTEGER) return false;
    if (start.id.ledgerId < 0) return true;
    const c = compareIds(last, start.id);
    return start.inclusive ? c >= 0 : c > 0;
  }

  /** Unsubscribes (deletes the subscription) and closes. */
  async unsubscribe(): Promise<void> {
    const cnx = this.cnx;
    if (!cnx) throw new PulsarError('PULSAR_CONNECTION_CLOSED', 'not connected');
    await cnx.request({
      type: CommandType.UNSUBSCRIBE,
      body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
    });
    this.state = 'closed';
    this.cancelHandoverCheck();
    this.stopStarvationCheck();
    cnx.removeConsumer(this.consumerId);
    this.cnx = undefined;
    this.acks.close(new PulsarError('PULSAR_CONSUMER_CLOSED', `consumer on ${this.topic} is closed`));
  }

  /** Flushes acks and closes the consumer on the broker (unacked messages go to other consumers). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.cancelHandoverCheck();
    this.stopStarvationCheck();
    this.acks.flush();
    this.state = 'closed';
    this.acks.close(new PulsarError('PULSAR_CONSUMER_CLOSED', `consumer on ${this.topic} is closed`));
    const cnx = this.cnx;
    this.cnx = undefined;
    if (cnx && !cnx.closed) {
      try {
        await cnx.request({
          type: CommandType.CLOSE_CONSUMER,
          body: { consumerId: this.consumerId, requestId: this.ctx.newRequestId() },
        });
      } catch {
        // Best effort: the broker drops the consumer with the connection anyway.
      }
      cnx.removeConsumer(this.consumerId);
    }
  }
}
