/**
 * A producer on one (non-partitioned, or single partition) topic.
 *
 * Pending queue: every accepted message sits either in the open batch or in `ops` (frames written, or
 * to be written once connected) until its SEND_RECEIPT. Receipts arrive in order and are matched
 * against the head of `ops`. On any disconnect — socket loss or a broker CLOSE_PRODUCER — the producer
 * looks the topic up again, re-registers with the *same* producer name and id (so broker
 * de-duplication recognises it) and re-sends the whole queue in order, frames unchanged.
 *
 * Backpressure: a message is accepted while fewer than `maxPendingMessages` are pending and the
 * client's memory budget ({@link MemoryLimit}) has room for its bytes. Otherwise `send()` waits — at most
 * `maxWaitingSends` callers, each for at most the send timeout — and waiters are admitted in call order as
 * receipts free room. With `blockIfQueueFull: false` it fails at once instead.
 *
 * Socket backpressure: frames are written only while the connection's write backlog is below its limit;
 * the rest stay queued here (`written` counts the written prefix of `ops`) until the socket drains.
 */
import { Backoff, sleep } from './backoff';
import type { Batch, BatchedMessage } from './batch-builder';
import type { BatchContainer } from './batch-container';
import { SingleBatchContainer } from './batch-container';
import type { ClientContext } from './client-context';
import { compress } from './compression/index';
import type { Connection, ProducerListener } from './connection';
import { Deque } from './deque';
import { PulsarError, ServerError, fromServerError, isPulsarError, toPulsarError } from './errors';
import { encodeSendFrameHeader, sendFrameChecksumValid } from './frame';
import { KeyBatchContainer } from './key-batch-container';
import { MessageId } from './message-id';
import type {
  CommandCloseProducer,
  CommandProducerSuccess,
  CommandSendError,
  CommandSendReceipt,
  CommandTopicMigrated,
  MessageIdData,
} from './proto/commands';
import { CommandType } from './proto/commands';
import type { MessageMetadata } from './proto/metadata';
import type { WireSchema } from './schema-info';

/** Settled producer options (defaults applied). */
export interface PartitionProducerConfig {
  producerName: string | undefined;
  batchingEnabled: boolean;
  batchingMaxDelayMs: number;
  batchingMaxMessages: number;
  batchingMaxBytes: number;
  keyBasedBatching: boolean;
  compressionType: number;
  /** Split a message larger than the broker takes (or than `chunkMaxBytes`) into chunks. */
  chunking: boolean;
  /** Largest chunk frame (default and at most: the broker's max message size). */
  chunkMaxBytes: number | undefined;
  maxPendingMessages: number;
  /** Callers that may wait for room at once; beyond it `send()` fails with PULSAR_PRODUCER_QUEUE_FULL. */
  maxWaitingSends: number;
  /** False: fail at once with PULSAR_PRODUCER_QUEUE_FULL instead of waiting for room. */
  blockIfQueueFull: boolean;
  sendTimeoutMs: number;
  accessMode: number;
  initialSubscriptionName: string | undefined;
  properties: Record<string, string> | undefined;
  initialSequenceId: number | undefined;
  /** Declared to the schema registry on every (re)connect; undefined: none (raw bytes). */
  schema: WireSchema | undefined;
}

/** A message accepted by `send()`, with its promise callbacks. */
export interface PendingSend extends BatchedMessage {
  readonly deliverAt: number | undefined;
  resolve(id: MessageId): void;
  reject(e: Error): void;
}

/** Input to {@link PartitionProducer.send}: a message before it gets its sequence id. */
export interface OutgoingMessage {
  payload: Uint8Array;
  key: string | undefined;
  orderingKey: Uint8Array | undefined;
  properties: Record<string, string> | undefined;
  eventTime: number | undefined;
  deliverAt: number | undefined;
  sequenceId: number | undefined;
}

interface OpSend {
  readonly sequenceId: number;
  readonly highestSequenceId: number;
  readonly header: Buffer;
  readonly payload: Uint8Array;
  readonly messages: PendingSend[];
  readonly batched: boolean;
  /** One chunk of a chunked message; only the last chunk's op carries the message. */
  readonly chunk: ChunkOf | undefined;
  /** Payload bytes reserved from the client's memory budget, released when the op settles. */
  readonly bytes: number;
  readonly createdAt: number;
  flushWaiters: (() => void)[] | undefined;
}

/** What the chunks of one message share: the entries the broker stored them in, in order. */
interface ChunkOf {
  readonly entries: MessageIdData[];
}

interface Waiter {
  msg: OutgoingMessage;
  /** When send() was called: a waiter is held to the send timeout too. */
  since: number;
  resolve(id: MessageId): void;
  reject(e: Error): void;
}

type State = 'init' | 'connecting' | 'ready' | 'closed';

/** Errors after which re-creating the producer cannot help: fail everything and stop. */
const FATAL_CODES = new Set([
  'PULSAR_TOPIC_TERMINATED',
  'PULSAR_PRODUCER_FENCED',
  'PULSAR_NOT_ALLOWED',
  'PULSAR_AUTHORIZATION',
  'PULSAR_TOPIC_NOT_FOUND',
  'PULSAR_AUTHENTICATION',
  // The topic's schema changed under us: what is queued was stamped with a version it no longer takes.
  'PULSAR_INCOMPATIBLE_SCHEMA',
]);

export class PartitionProducer implements ProducerListener {
  readonly producerId: number;
  private state: State = 'init';
  /** Where the broker said the topic went (CLOSE_PRODUCER / TOPIC_MIGRATED), for the next connect. */
  private assigned: string | undefined;
  /** close() has begun: no new sends, but pending ones still go out (reconnecting if needed). */
  private closing = false;
  private cnx: Connection | undefined;
  private name: string | undefined;
  private epoch = 0;
  private topicEpoch: number | undefined;
  /** The registry's version of our schema (PRODUCER_SUCCESS.schema_version), stamped on every message. */
  private schemaVersionBytes: Uint8Array | undefined;
  private nextSequenceId = 0;
  private lastSequenceIdPushed = -1;
  private maxMessageSize = 5 * 1024 * 1024;
  private readonly ops = new Deque<OpSend>();
  /** How many ops at the head of `ops` were written on the current connection. */
  private written = 0;
  private readonly waiters = new Deque<Waiter>();
  /** Messages accepted and not yet settled (batch + ops): the backpressure counter. */
  private pendingMessages = 0;
  /** The last admission failed for lack of client memory (not of pending-message room). */
  private memoryBlocked = false;
  private readonly batch: BatchContainer<PendingSend> | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private sendTimeoutTimer: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff(100, 30_000);
  private reconnecting = false;
  /** start() has succeeded: from then on, losing the connection triggers the reconnect loop. */
  private started = false;
  private closeError: PulsarError | undefined;

  constructor(
    private readonly ctx: ClientContext,
    readonly topic: string,
    readonly partitionIndex: number,
    private readonly cfg: PartitionProducerConfig,
  ) {
    this.producerId = ctx.newProducerId();
    this.name = cfg.producerName;
    if (cfg.batchingEnabled) {
      this.batch = cfg.keyBasedBatching
        ? new KeyBatchContainer<PendingSend>(cfg.batchingMaxMessages, cfg.batchingMaxBytes)
        : new SingleBatchContainer<PendingSend>(cfg.batchingMaxMessages, cfg.batchingMaxBytes);
    }
  }

  /** Broker-assigned (or user-given) producer name. */
  get producerName(): string {
    return this.name ?? '';
  }

  /** Version of the declared schema in the topic's registry; undefined without a schema. */
  get schemaVersion(): Uint8Array | undefined {
    return this.schemaVersionBytes;
  }

  /** Highest sequence id acknowledged by the broker so far (−1 before the first receipt). */
  get lastSequenceId(): number {
    return this.lastSequenceIdPushed;
  }

  /** Messages accepted but not yet acknowledged. */
  get pendingCount(): number {
    return this.pendingMessages;
  }

  get connected(): boolean {
    return this.state === 'ready';
  }

  /**
   * First connection: retries retryable failures with back-off until the operation timeout, then
   * rejects (so `createProducer` fails fast on a bad topic or credentials).
   */
  async start(): Promise<void> {
    const deadline = Date.now() + this.ctx.operationTimeoutMs;
    for (;;) {
      try {
        await this.connectOnce(true);
        break;
      } catch (e) {
        const err = toPulsarError(e);
        // ProducerBusy on first creation means the name is taken by a live producer: fail now. On a
        // reconnect it is transient (the broker has not yet dropped our previous registration).
        if (
          !err.retryable ||
          err.code === 'PULSAR_PRODUCER_BUSY' ||
          Date.now() + 100 > deadline ||
          this.ctx.closed
        ) {
          this.state = 'closed';
          throw err;
        }
        await sleep(Math.min(this.backoff.next(), Math.max(0, deadline - Date.now())));
      }
    }
    this.started = true;
    if (this.state !== 'ready' && this.state !== 'closed') this.scheduleReconnect(); // lost meanwhile
    if (this.cfg.sendTimeoutMs > 0) {
      const every = Math.min(Math.max(Math.floor(this.cfg.sendTimeoutMs / 10), 10), 1000);
      this.sendTimeoutTimer = setInterval(() => this.checkSendTimeouts(), every);
      this.sendTimeoutTimer.unref();
    }
  }

  private async connectOnce(first: boolean): Promise<void> {
    this.state = 'connecting';
    const cnx = await this.connectionForTopic();
    if (this.isClosed()) return;
    const requestId = this.ctx.newRequestId();
    cnx.registerProducer(this.producerId, this);
    let res: CommandProducerSuccess;
    try {
      res = await cnx.request<CommandProducerSuccess>({
        type: CommandType.PRODUCER,
        body: {
          topic: this.topic,
          producerId: this.producerId,
          requestId,
          ...(this.name !== undefined ? { producerName: this.name } : {}),
          userProvidedProducerName: this.cfg.producerName !== undefined,
          epoch: this.epoch++,
          producerAccessMode: this.cfg.accessMode,
          ...(this.topicEpoch !== undefined ? { topicEpoch: this.topicEpoch } : {}),
          ...(this.cfg.initialSubscriptionName
            ? { initialSubscriptionName: this.cfg.initialSubscriptionName }
            : {}),
          ...(this.cfg.properties
            ? { metadata: Object.entries(this.cfg.properties).map(([key, value]) => ({ key, value })) }
            : {}),
          ...(this.cfg.schema ? { schema: this.cfg.schema } : {}),
        },
      });
    } catch (e) {
      cnx.removeProducer(this.producerId);
      if (isPulsarError(e) && e.code === 'PULSAR_TIMEOUT') {
        // The broker may still create it: tell it to drop this one before we retry (protocol spec).
        cnx.send({
          type: CommandType.CLOSE_PRODUCER,
          body: { producerId: this.producerId, requestId: this.ctx.newRequestId() },
        });
      }
      throw e;
    }
    if (this.isClosed()) {
      cnx.removeProducer(this.producerId);
      cnx.send({
        type: CommandType.CLOSE_PRODUCER,
        body: { producerId: this.producerId, requestId: this.ctx.newRequestId() },
      });
      return;
    }
    if (!cnx.hasProducer(this.producerId, this)) {
      // CLOSE_PRODUCER (e.g. another unload) raced with PRODUCER_SUCCESS: this registration is void.
      throw new PulsarError('PULSAR_SERVICE_NOT_READY', 'producer closed by broker while being created');
    }
    this.name = res.producerName;
    if (res.topicEpoch !== undefined) this.topicEpoch = res.topicEpoch;
    // Messages carry the version so consumers fetch the schema they were written with (as the Java
    // and Go clients do). Frames queued before a reconnect keep the version they were built with.
    if (res.schemaVersion !== undefined && res.schemaVersion.length > 0)
      this.schemaVersionBytes = Buffer.from(res.schemaVersion);
    if (first) {
      // Resume after what the broker already has from this producer name (matters with de-duplication).
      const last = res.lastSequenceId ?? -1;
      this.nextSequenceId =
        this.cfg.initialSequenceId !== undefined ? this.cfg.initialSequenceId + 1 : Math.max(last + 1, 0);
      this.lastSequenceIdPushed = this.cfg.initialSequenceId ?? last;
    }
    this.maxMessageSize = cnx.maxMessageSize;
    // A batch larger than the broker takes would make it drop the connection (and every producer and
    // consumer on it), again on each re-send.
    this.batch?.capBatchBytes(this.maxMessageSize);
    this.cnx = cnx;
    this.state = 'ready';
    this.backoff.reset();
    // Re-send everything not yet acknowledged, in order, as the very same frames.
    this.written = 0;
    this.writeOps();
    this.ctx.log.debug('producer ready', { topic: this.topic, name: this.name, resent: this.ops.length });
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private isClosingOrClosed(): boolean {
    return this.closing || this.state === 'closed';
  }

  private scheduleReconnect(): void {
    // Before start() has succeeded, start() itself retries; a second loop would register twice.
    if (!this.started || this.reconnecting || this.state === 'closed') return;
    this.state = 'connecting';
    this.reconnecting = true;
    void (async () => {
      try {
        while (!this.ctx.closed && this.state !== 'closed') {
          await sleep(this.backoff.next());
          if (this.isClosed()) return;
          try {
            await this.connectOnce(false);
            return;
          } catch (e) {
            const err = toPulsarError(e);
            this.ctx.log.warn('producer reconnect failed', {
              topic: this.topic,
              error: err.message,
              code: err.code,
            });
            if (FATAL_CODES.has(err.code)) {
              this.terminate(err);
              return;
            }
            if (err.code === 'PULSAR_PRODUCER_QUOTA_EXCEEDED') {
              // The backlog quota holds the topic: the broker takes nothing until consumers catch up,
              // which may be never. Fail what is waiting (the callers decide: retry, spill, drop) instead
              // of holding it until the send timeout (forever without one); keep trying to reconnect.
              this.failPending(err);
            }
          }
        }
      } finally {
        this.reconnecting = false;
      }
    })();
  }

  // ---- ProducerListener ----

  onConnectionClosed(cnx: Connection): void {
    if (cnx !== this.cnx) return;
    this.cnx = undefined;
    this.scheduleReconnect();
  }

  onWritable(): void {
    this.writeOps();
  }

  onClosedByBroker(cmd: CommandCloseProducer | CommandTopicMigrated): void {
    this.cnx = undefined;
    this.assigned = this.ctx.lookup.assignedBroker(cmd);
    this.ctx.log.info('producer closed by broker; reconnecting', {
      topic: this.topic,
      ...(this.assigned ? { assignedBroker: this.assigned } : {}),
    });
    this.scheduleReconnect();
  }

  /** The broker the topic was handed to, if the broker said so (used once); else a lookup. */
  private async connectionForTopic(): Promise<Connection> {
    const assigned = this.assigned;
    this.assigned = undefined;
    if (assigned) return this.ctx.pool.get(assigned, assigned);
    const addr = await this.ctx.lookup.lookup(this.topic);
    return this.ctx.pool.get(addr.logicalAddress, addr.physicalAddress);
  }

  onSendReceipt(r: CommandSendReceipt): void {
    const op = this.ops.peek();
    if (op === undefined) return;
    if (r.sequenceId < op.sequenceId) return; // a receipt for an op we already timed out
    if (r.sequenceId > op.sequenceId) {
      // We missed a receipt: the only safe recovery is to re-send the queue on a fresh connection.
      this.ctx.log.warn('send receipt out of order; reconnecting', {
        topic: this.topic,
        got: r.sequenceId,
        expected: op.sequenceId,
      });
      this.cnx?.close(new PulsarError('PULSAR_PROTOCOL', 'send receipt out of order'));
      return;
    }
    this.shiftOp();
    const ledgerId = r.messageId?.ledgerId ?? -1;
    const entryId = r.messageId?.entryId ?? -1;
    const n = op.messages.length;
    if (op.batched) {
      for (let i = 0; i < n; i++)
        op.messages[i]!.resolve(new MessageId(ledgerId, entryId, this.partitionIndex, i, n));
    } else if (op.chunk) {
      op.chunk.entries.push({ ledgerId, entryId });
      if (n > 0) {
        // The last chunk: the message is stored. Its id names the last entry and lists the others, as a
        // consumer's id of the reassembled message does.
        const id = new MessageId(ledgerId, entryId, this.partitionIndex);
        id.chunkEntries = op.chunk.entries.slice(0, -1);
        op.messages[0]!.resolve(id);
      }
    } else {
      op.messages[0]!.resolve(new MessageId(ledgerId, entryId, this.partitionIndex));
    }
    if (op.highestSequenceId > this.lastSequenceIdPushed) this.lastSequenceIdPushed = op.highestSequenceId;
    this.settled(op, n);
  }

  onSendError(e: CommandSendError): void {
    const err = fromServerError(e.error, e.message);
    if (e.error === ServerError.TopicTerminatedError || e.error === ServerError.NotAllowedError) {
      this.terminate(err);
      return;
    }
    if (e.error === ServerError.ChecksumError) this.dropLocallyCorrupt(e.sequenceId);
    // Transient (persistence, checksum…): reconnect and re-send, as the Java and Go clients do.
    this.ctx.log.warn('send error; reconnecting', { topic: this.topic, error: err.message });
    const cnx = this.cnx;
    if (cnx) {
      cnx.removeProducer(this.producerId);
      cnx.send({
        type: CommandType.CLOSE_PRODUCER,
        body: { producerId: this.producerId, requestId: this.ctx.newRequestId() },
      });
    }
    this.cnx = undefined;
    this.scheduleReconnect();
  }

  /**
   * The broker saw a bad checksum. If the frame no longer matches its checksum here either, its bytes
   * changed in this process: re-sending it would fail the same way, forever with no send timeout, and
   * hold up every message behind it. Fail that message instead (as the Java client does); the rest are
   * re-sent.
   */
  private dropLocallyCorrupt(sequenceId: number): void {
    const op = this.ops.peek();
    if (op === undefined || op.sequenceId !== sequenceId) return;
    if (sendFrameChecksumValid(op.header, op.payload)) return;
    const err = new PulsarError(
      'PULSAR_CHECKSUM',
      `message ${sequenceId} to ${this.topic} was corrupted in memory after it was queued; not re-sent`,
    );
    this.ctx.log.error('queued frame corrupt; failing it', { topic: this.topic, sequenceId });
    // Every frame of that message goes: the other chunks of a chunked one are useless alone.
    for (
      let head = this.ops.peek();
      head !== undefined && head.sequenceId === sequenceId;
      head = this.ops.peek()
    ) {
      this.shiftOp();
      for (const m of head.messages) m.reject(err);
      this.settled(head, head.messages.length);
    }
  }

  // ---- sending ----

  /** Queues a message; resolves with its id once the broker has persisted it. */
  send(msg: OutgoingMessage): Promise<MessageId> {
    if (this.isClosingOrClosed()) {
      return Promise.reject(
        this.closeError ?? new PulsarError('PULSAR_PRODUCER_CLOSED', `producer on ${this.topic} is closed`),
      );
    }
    if (msg.payload.length > this.maxMessageSize && this.cfg.compressionType === 0 && !this.cfg.chunking) {
      return Promise.reject(
        new PulsarError(
          'PULSAR_MESSAGE_TOO_LARGE',
          `message of ${msg.payload.length} bytes exceeds ${this.maxMessageSize}`,
        ),
      );
    }
    return new Promise<MessageId>((resolve, reject) => {
      if (this.waiters.length === 0 && this.admit(msg.payload.length)) {
        this.accept(msg, resolve, reject);
        return;
      }
      if (!this.cfg.blockIfQueueFull || this.waiters.length >= this.cfg.maxWaitingSends) {
        reject(this.queueFull());
        return;
      }
      this.waiters.push({ msg, since: Date.now(), resolve, reject });
      if (this.memoryBlocked) this.ctx.memory.park(this.wakeForMemory);
    });
  }

  /**
   * Takes room for one more message of `bytes` payload bytes: a pending slot and the bytes from the
   * client's memory budget. False (and nothing taken) when either is full.
   */
  private admit(bytes: number): boolean {
    this.memoryBlocked = false;
    if (this.pendingMessages >= this.cfg.maxPendingMessages) return false;
    if (!this.ctx.memory.tryReserve(bytes)) {
      this.memoryBlocked = true;
      return false;
    }
    return true;
  }

  private queueFull(): PulsarError {
    const why = this.memoryBlocked
      ? `the client's memory limit of ${this.ctx.memory.limitBytes} bytes is in use`
      : `${this.pendingMessages} messages are pending`;
    return new PulsarError(
      'PULSAR_PRODUCER_QUEUE_FULL',
      `producer on ${this.topic} is full (${why}` +
        (this.cfg.blockIfQueueFull ? ` and ${this.waiters.length} sends wait)` : ')'),
    );
  }

  /** Admits waiting sends, in call order, while there is room. */
  private admitWaiters(): void {
    while (this.waiters.length > 0 && !this.isClosingOrClosed()) {
      const w = this.waiters.peek()!;
      if (!this.admit(w.msg.payload.length)) {
        if (this.memoryBlocked) this.ctx.memory.park(this.wakeForMemory);
        return;
      }
      this.waiters.shift();
      this.accept(w.msg, w.resolve, w.reject);
    }
  }

  /** Called by the memory budget when bytes were freed; true while this producer still waits for memory. */
  private readonly wakeForMemory = (): boolean => {
    this.admitWaiters();
    return this.memoryBlocked && this.waiters.length > 0 && !this.isClosingOrClosed();
  };

  private accept(msg: OutgoingMessage, resolve: (id: MessageId) => void, reject: (e: Error) => void): void {
    const batch = this.batch;
    // Delayed messages are never batched: the broker schedules whole entries. Nor are messages larger than
    // a batch may be (possible only with compression): alone, only they fail if still too large compressed.
    // Nor, with a container that numbers messages at flush, one whose sequence id the caller fixed.
    const batched =
      batch !== undefined &&
      msg.deliverAt === undefined &&
      msg.payload.length <= this.batchableBytes(batch) &&
      !(batch.writesAtFlush && msg.sequenceId !== undefined);
    // Keep wire order: anything batched earlier goes first, and takes its ids (if it takes them at
    // flush) before this message takes one, so sequence ids rise on the wire.
    if (!batched) this.flushBatch();
    let sequenceId: number;
    if (batched && batch.writesAtFlush)
      sequenceId = -1; // numbered when its batch is flushed
    else if (msg.sequenceId !== undefined) {
      sequenceId = msg.sequenceId;
      if (sequenceId >= this.nextSequenceId) this.nextSequenceId = sequenceId + 1;
    } else sequenceId = this.nextSequenceId++;
    const p: PendingSend = {
      // Our own copy of bytes we keep referencing (uncompressed single frames, a container that writes
      // records at flush): an application that reuses its buffer after send() would otherwise change a
      // frame already checksummed and queued. The single-batch container copies into its batch buffer
      // on add, and a compressed single message is compressed at once into a new buffer: no copy then.
      payload: (batched ? batch.writesAtFlush : this.cfg.compressionType === 0)
        ? Buffer.from(msg.payload)
        : msg.payload,
      key: msg.key,
      orderingKey: msg.orderingKey,
      properties: msg.properties,
      eventTime: msg.eventTime,
      deliverAt: msg.deliverAt,
      sequenceId,
      resolve,
      reject,
    };
    this.pendingMessages++;
    if (batched) {
      if (!batch.canAdd(p)) this.flushBatch();
      batch.add(p);
      if (batch.full) this.flushBatch();
      else if (this.batchTimer === undefined) {
        this.batchTimer = setTimeout(() => {
          this.batchTimer = undefined;
          this.flushBatch();
        }, this.cfg.batchingMaxDelayMs);
      }
      return;
    }
    try {
      this.enqueueSingle(p);
    } catch (e) {
      this.pendingMessages--;
      this.ctx.memory.release(p.payload.length);
      reject(toPulsarError(e, 'PULSAR_COMPRESSION'));
    }
  }

  /** The largest message a batch takes; with chunking, one above the chunk size is chunked instead. */
  private batchableBytes(batch: BatchContainer<PendingSend>): number {
    const chunkMax = this.cfg.chunking ? this.cfg.chunkMaxBytes : undefined;
    return chunkMax === undefined ? batch.maxMessageBytes : Math.min(batch.maxMessageBytes, chunkMax);
  }

  private enqueueSingle(p: PendingSend): void {
    const type = this.cfg.compressionType;
    const payload = compress(type, p.payload);
    const chunkAbove = this.cfg.chunking
      ? Math.min(this.cfg.chunkMaxBytes ?? this.maxMessageSize, this.maxMessageSize)
      : this.maxMessageSize;
    if (payload.length > chunkAbove && !this.cfg.chunking) throw this.tooLarge(payload.length, type);
    const md: MessageMetadata = {
      producerName: this.name ?? '',
      sequenceId: p.sequenceId,
      publishTime: Date.now(),
      ...(p.properties ? { properties: p.properties } : {}),
      ...(p.key !== undefined ? { partitionKey: p.key } : {}),
      ...(p.orderingKey !== undefined ? { orderingKey: p.orderingKey } : {}),
      ...(p.eventTime !== undefined ? { eventTime: p.eventTime } : {}),
      ...(p.deliverAt !== undefined ? { deliverAtTime: p.deliverAt } : {}),
      ...(type !== 0 ? { compression: type, uncompressedSize: p.payload.length } : {}),
      ...(this.schemaVersionBytes ? { schemaVersion: this.schemaVersionBytes } : {}),
    };
    if (payload.length > chunkAbove) {
      this.enqueueChunks(p, md, payload, chunkAbove);
      return;
    }
    const header = encodeSendFrameHeader(
      { producerId: this.producerId, sequenceId: p.sequenceId },
      md,
      payload,
    );
    this.enqueueOp({
      sequenceId: p.sequenceId,
      highestSequenceId: p.sequenceId,
      header,
      payload,
      messages: [p],
      batched: false,
      chunk: undefined,
      bytes: p.payload.length,
      createdAt: Date.now(),
      flushWaiters: undefined,
    });
  }

  /**
   * Splits a (compressed) payload too large for one frame into chunks, each its own SEND frame no larger
   * than `frameLimit`. As in the Java and Go clients, every chunk carries the whole message's metadata plus
   * its uuid, chunk id, chunk count and total size, and the same sequence id: the broker de-duplicates a
   * chunked message at its last chunk, so a re-send after a reconnect stays exactly-once with dedup on.
   * Consumers reassemble the chunks (ours: chunk-assembler.ts).
   */
  private enqueueChunks(p: PendingSend, md: MessageMetadata, payload: Uint8Array, frameLimit: number): void {
    const uuid = `${this.name ?? ''}-${p.sequenceId}`;
    const chunkMd = (chunkId: number, numChunksFromMsg: number): MessageMetadata => ({
      ...md,
      uuid,
      chunkId,
      numChunksFromMsg,
      totalChunkMsgSize: payload.length,
    });
    const send = { producerId: this.producerId, sequenceId: p.sequenceId, isChunk: true };
    // The frame's own bytes (command + metadata, at their widest) come off the chunk's share.
    const overhead = encodeSendFrameHeader(send, chunkMd(0x7fffffff, 0x7fffffff), new Uint8Array(0)).length;
    const chunkSize = frameLimit - overhead;
    if (chunkSize < 1)
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        `chunks of ${frameLimit} bytes leave no room for a payload after ${overhead} bytes of metadata`,
      );
    const n = Math.ceil(payload.length / chunkSize);
    const chunk: ChunkOf = { entries: [] };
    const createdAt = Date.now();
    for (let i = 0; i < n; i++) {
      const part = payload.subarray(i * chunkSize, Math.min((i + 1) * chunkSize, payload.length));
      const last = i === n - 1;
      this.enqueueOp({
        sequenceId: p.sequenceId,
        highestSequenceId: p.sequenceId,
        header: encodeSendFrameHeader(send, chunkMd(i, n), part),
        payload: part,
        messages: last ? [p] : [],
        batched: false,
        chunk,
        bytes: last ? p.payload.length : 0,
        createdAt,
        flushWaiters: undefined,
      });
    }
  }

  private tooLarge(bytes: number, compressionType: number): PulsarError {
    return new PulsarError(
      'PULSAR_MESSAGE_TOO_LARGE',
      `message of ${bytes} bytes${compressionType !== 0 ? ' (compressed)' : ''} exceeds the broker's ` +
        `${this.maxMessageSize}`,
    );
  }

  /** Closes the open batch (or per-key batches) into SEND ops. */
  private flushBatch(): void {
    if (this.batchTimer !== undefined) {
      clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
    }
    const container = this.batch;
    if (container === undefined || container.count === 0) return;
    // A batch to be compressed is read once, at once: borrow the builder's buffer instead of copying it.
    container.flush(
      (n) => {
        const first = this.nextSequenceId;
        this.nextSequenceId += n;
        return first;
      },
      this.cfg.compressionType !== 0,
      (b) => this.enqueueBatch(b),
    );
  }

  private enqueueBatch(b: Batch<PendingSend>): void {
    const n = b.messages.length;
    const bytes = payloadBytes(b.messages);
    const type = this.cfg.compressionType;
    let payload: Uint8Array;
    try {
      payload = compress(type, b.payload);
    } catch (e) {
      this.dropUnsent(b.messages, bytes, toPulsarError(e, 'PULSAR_COMPRESSION'));
      return;
    }
    if (payload.length > this.maxMessageSize) {
      // Only when compression grew a batch already at the cap (incompressible data).
      this.dropUnsent(b.messages, bytes, this.tooLarge(payload.length, type));
      return;
    }
    const md: MessageMetadata = {
      producerName: this.name ?? '',
      sequenceId: b.firstSequenceId,
      publishTime: Date.now(),
      numMessagesInBatch: n,
      highestSequenceId: b.lastSequenceId,
      ...(b.key !== undefined ? { partitionKey: b.key } : {}),
      ...(b.orderingKey !== undefined ? { orderingKey: b.orderingKey } : {}),
      ...(type !== 0 ? { compression: type, uncompressedSize: b.payload.length } : {}),
      // One producer, one schema: every message of the batch has this version.
      ...(this.schemaVersionBytes ? { schemaVersion: this.schemaVersionBytes } : {}),
    };
    const header = encodeSendFrameHeader(
      {
        producerId: this.producerId,
        sequenceId: b.firstSequenceId,
        numMessages: n,
        highestSequenceId: b.lastSequenceId,
      },
      md,
      payload,
    );
    this.enqueueOp({
      sequenceId: b.firstSequenceId,
      highestSequenceId: b.lastSequenceId,
      header,
      payload,
      messages: b.messages,
      batched: true,
      chunk: undefined,
      bytes,
      createdAt: Date.now(),
      flushWaiters: undefined,
    });
  }

  private enqueueOp(op: OpSend): void {
    this.ops.push(op);
    this.writeOps();
  }

  /** Writes queued ops on the current connection, in order, while its write backlog has room. */
  private writeOps(): void {
    const cnx = this.cnx;
    if (this.state !== 'ready' || cnx === undefined) return;
    while (this.written < this.ops.length && !cnx.writeBacklogged) {
      const op = this.ops.at(this.written)!;
      cnx.write(op.header, op.payload);
      this.written++;
    }
  }

  /** Removes the head op (settled): written ops are a prefix of `ops`, so the count moves with it. */
  private shiftOp(): void {
    this.ops.shift();
    if (this.written > 0) this.written--;
  }

  /** Fails messages that never became an op (their batch could not be built). */
  private dropUnsent(messages: readonly PendingSend[], bytes: number, err: PulsarError): void {
    this.pendingMessages -= messages.length;
    this.ctx.memory.release(bytes);
    for (const m of messages) m.reject(err);
  }

  /** Bookkeeping once an op is done (acknowledged or failed): frees room and admits waiters in order. */
  private settled(op: OpSend, n: number): void {
    this.pendingMessages -= n;
    if (op.flushWaiters) for (const w of op.flushWaiters) w();
    // Freed bytes go first to producers parked for memory (this one too, if it is), in the order they
    // parked; then this producer's waiters take the freed pending slots.
    this.ctx.memory.release(op.bytes);
    this.admitWaiters();
  }

  private checkSendTimeouts(): void {
    const now = Date.now();
    const limit = now - this.cfg.sendTimeoutMs;
    // Sends still waiting for room are held to the same limit, counted from the send() call — and go
    // first: expiring the ops below frees room that would otherwise admit (and send) an expired waiter.
    let w = this.waiters.peek();
    while (w !== undefined && w.since <= limit) {
      this.waiters.shift();
      w.reject(
        new PulsarError(
          'PULSAR_SEND_TIMEOUT',
          `send to ${this.topic} found no room within ${this.cfg.sendTimeoutMs} ms (${now - w.since} ms waited)`,
        ),
      );
      w = this.waiters.peek();
    }
    let op = this.ops.peek();
    if (op === undefined || op.createdAt > limit) return;
    const err = new PulsarError(
      'PULSAR_SEND_TIMEOUT',
      `send to ${this.topic} not acknowledged within ${this.cfg.sendTimeoutMs} ms`,
    );
    while (op !== undefined && op.createdAt <= limit) {
      this.shiftOp();
      for (const m of op.messages) m.reject(err);
      this.settled(op, op.messages.length);
      op = this.ops.peek();
    }
  }

  /** Sends the open batch and resolves once everything sent so far is acknowledged (or failed). */
  flush(): Promise<void> {
    this.flushBatch();
    let last: OpSend | undefined;
    for (const op of this.ops) last = op;
    if (last === undefined) return Promise.resolve();
    const target = last;
    return new Promise<void>((resolve) => (target.flushWaiters ??= []).push(resolve));
  }

  /** Fails every pending message and stops for good (topic terminated, fenced, …). */
  private terminate(err: PulsarError): void {
    this.closeError = err;
    this.state = 'closed';
    this.clearTimers();
    this.failAll(err);
    const cnx = this.cnx;
    this.cnx = undefined;
    cnx?.removeProducer(this.producerId);
  }

  /** Fails every message waiting to be sent, but keeps the producer (unlike {@link terminate}). */
  private failPending(err: PulsarError): void {
    if (this.ops.length === 0 && this.waiters.length === 0 && !(this.batch && this.batch.count > 0)) return;
    this.ctx.log.warn('failing pending messages', { topic: this.topic, error: err.message });
    this.failAll(err);
  }

  private failAll(err: PulsarError): void {
    // Waiters first: settling the ops below would otherwise admit them, only to fail them too.
    for (const w of this.waiters.drain()) w.reject(err);
    const ops = this.ops.drain();
    this.written = 0;
    for (const op of ops) {
      for (const m of op.messages) m.reject(err);
      this.settled(op, op.messages.length);
    }
    if (this.batch && this.batch.count > 0) {
      const held = this.batch.discard();
      this.dropUnsent(held, payloadBytes(held), err);
    }
  }

  private clearTimers(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.sendTimeoutTimer) clearInterval(this.sendTimeoutTimer);
    this.batchTimer = undefined;
    this.sendTimeoutTimer = undefined;
  }

  /** Flushes, waits for pending sends, then closes the producer on the broker. */
  async close(): Promise<void> {
    if (this.isClosingOrClosed()) return;
    this.closing = true;
    // Pending sends still complete (reconnecting if needed), but not forever.
    const cap = Math.max(this.cfg.sendTimeoutMs, this.ctx.operationTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => (timer = setTimeout(r, cap)))]);
    clearTimeout(timer);
    this.clearTimers();
    const cnx = this.cnx;
    this.state = 'closed';
    this.cnx = undefined;
    if (cnx && !cnx.closed) {
      try {
        await cnx.request({
          type: CommandType.CLOSE_PRODUCER,
          body: { producerId: this.producerId, requestId: this.ctx.newRequestId() },
        });
      } catch {
        // Closing is best effort: the broker drops the producer with the connection anyway.
      }
      cnx.removeProducer(this.producerId);
    }
    this.failAll(new PulsarError('PULSAR_PRODUCER_CLOSED', `producer on ${this.topic} is closed`));
  }
}

function payloadBytes(messages: readonly PendingSend[]): number {
  let n = 0;
  for (const m of messages) n += m.payload.length;
  return n;
}
