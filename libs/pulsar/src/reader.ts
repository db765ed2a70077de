/**
 * Readers: reading a topic from a chosen position without a durable subscription — an Exclusive,
 * non-durable subscription with a random name, which the broker drops when the reader closes. Nothing is
 * acknowledged; the position lives in the client (the last message handed out), and a reconnect resumes
 * after it.
 */
import { randomBytes } from 'node:crypto';
import type { ClientContext, Closable } from './client-context';
import { ConsumerImpl } from './consumer';
import { PulsarError } from './errors';
import type { Message } from './message';
import { MessageId } from './message-id';
import type { SeekTarget } from './partition-consumer';
import { parseTopicName } from './topic-name';

/** Options for {@link PulsarClient.createReader}. */
export interface ReaderOptions {
  topic: string;
  /**
   * Where to start: a message id (the next message after it, or it too with `startMessageIdInclusive`),
   * 'earliest' (the first message kept) or 'latest' (messages published from now on; with
   * `startMessageIdInclusive`, the current last message too). A partitioned topic takes only 'earliest' or
   * 'latest': a message id names one partition.
   */
  startMessageId: MessageId | 'earliest' | 'latest';
  /** Deliver the start message itself (default false, as Java and Go). */
  startMessageIdInclusive?: boolean;
  /** Messages prefetched per partition (default 1000). */
  receiverQueueSize?: number;
  /** Consumer name shown in the broker's stats. */
  readerName?: string;
  /** Name of the non-durable subscription (default `reader-<random>`). */
  subscriptionName?: string;
  readCompacted?: boolean;
}

/** A reader. Also an async iterable: `for await (const msg of reader)` ends when it is closed. */
export interface Reader extends AsyncIterable<Message> {
  readonly topic: string;
  /** Next message; waits for one. With `timeoutMs`, rejects with PULSAR_TIMEOUT when none arrives. */
  readNext(timeoutMs?: number): Promise<Message>;
  /**
   * Whether a message after the last one read exists (asks the broker for each partition's last message
   * id when nothing is queued). False at the end of what was published so far.
   */
  hasMessageAvailable(): Promise<boolean>;
  /**
   * Moves the reader to a message id (read next: that message) or to the first message published at or
   * after `target` ms; see {@link Consumer.seek}.
   */
  seek(target: SeekTarget): Promise<void>;
  /** True once the topic is terminated and everything on it was read. */
  hasReachedEndOfTopic(): boolean;
  close(): Promise<void>;
}

function startId(start: ReaderOptions['startMessageId']): MessageId {
  if (start === 'earliest') return MessageId.earliest;
  if (start === 'latest') return MessageId.latest;
  if (start instanceof MessageId) return start;
  throw new PulsarError(
    'PULSAR_INVALID_ARGUMENT',
    "startMessageId must be a MessageId, 'earliest' or 'latest'",
  );
}

/** @internal Implementation of {@link Reader}. */
export class ReaderImpl implements Reader, Closable {
  private constructor(
    readonly topic: string,
    private readonly consumer: ConsumerImpl,
  ) {}

  static async create(ctx: ClientContext, opts: ReaderOptions): Promise<ReaderImpl> {
    const topic = parseTopicName(opts.topic).full;
    const start = startId(opts.startMessageId);
    const inclusive = opts.startMessageIdInclusive ?? false;
    const isEdge = start === MessageId.earliest || start === MessageId.latest;
    if (!isEdge && (await ctx.lookup.partitions(topic)) > 0) {
      throw new PulsarError(
        'PULSAR_INVALID_ARGUMENT',
        `${topic} is partitioned: a reader of it starts at 'earliest' or 'latest' (seek a partition afterwards)`,
      );
    }
    const consumer = await ConsumerImpl.create(
      ctx,
      {
        topic,
        subscription: opts.subscriptionName ?? `reader-${randomBytes(5).toString('hex')}`,
        type: 'Exclusive',
        durable: false,
        initialPosition: start === MessageId.earliest ? 'earliest' : 'latest',
        receiverQueueSize: opts.receiverQueueSize,
        consumerName: opts.readerName,
        readCompacted: opts.readCompacted,
      },
      { startMessageId: start, startMessageIdInclusive: inclusive },
    );
    const reader = new ReaderImpl(topic, consumer);
    if (start === MessageId.latest && inclusive) {
      // "The last message, inclusive": the broker knows no such start; find it and seek there (as Go does).
      try {
        await Promise.all(
          consumer.partitions.map(async (p) => {
            const last = await p.getLastMessageId();
            if (last.entryId >= 0) await p.seek(last);
          }),
        );
      } catch (e) {
        await consumer.close();
        throw e;
      }
    }
    return reader;
  }

  readNext(timeoutMs?: number): Promise<Message> {
    return this.consumer.receive(timeoutMs);
  }

  hasMessageAvailable(): Promise<boolean> {
    return this.consumer.hasMessageAvailable();
  }

  seek(target: SeekTarget): Promise<void> {
    return this.consumer.seek(target);
  }

  hasReachedEndOfTopic(): boolean {
    return this.consumer.hasReachedEndOfTopic();
  }

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return this.consumer[Symbol.asyncIterator]();
  }

  close(): Promise<void> {
    return this.consumer.close();
  }
}
