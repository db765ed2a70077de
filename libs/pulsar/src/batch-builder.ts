/**
 * Accumulates messages into one batch payload: a sequence of
 * `[u32 size][SingleMessageMetadata][payload]` records, written straight into one reusable buffer so
 * adding a message costs no allocation beyond the record itself.
 *
 * The outer metadata gets `partition_key` (and `ordering_key`) when every message of the batch has the
 * same one: the broker dispatches a whole batch entry by that key on Key_Shared subscriptions (a batch
 * without it goes to the "no key" consumer). Key-based batching (one open batch per key) is
 * `KeyBatchContainer`, which uses this builder to write each key's batch.
 */
import type { SingleMessageMetadata } from './proto/metadata';
import { writeSingleMessageMetadata } from './proto/metadata';
import { ProtoWriter } from './proto/wire';

/** A message waiting in a batch, with the callbacks of its `send()`. */
export interface BatchedMessage {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly orderingKey: Uint8Array | undefined;
  readonly properties: Record<string, string> | undefined;
  readonly eventTime: number | undefined;
  /** Assigned on `send()`, or by a {@link BatchContainer} that assigns ids when it flushes. */
  sequenceId: number;
}

/** A finished batch, ready to be compressed and framed. */
export interface Batch<T extends BatchedMessage> {
  /**
   * Uncompressed batch payload: a fresh buffer owned by the caller, or with `build(true)` a view of the
   * builder's buffer, valid only until the next `add()` (for a caller that compresses it at once).
   */
  readonly payload: Buffer;
  readonly messages: T[];
  readonly firstSequenceId: number;
  readonly lastSequenceId: number;
  /** The key shared by all messages, if they share one. */
  readonly key: string | undefined;
  readonly orderingKey: Uint8Array | undefined;
}

export class BatchBuilder<T extends BatchedMessage> {
  private readonly w: ProtoWriter;
  private messages: T[] = [];
  /** undefined: no key yet/none; null: mixed keys. */
  private key: string | undefined | null = undefined;
  private orderingKey: Uint8Array | undefined | null = undefined;
  private readonly smm: SingleMessageMetadata = { payloadSize: 0 };

  constructor(
    readonly maxMessages: number,
    /** Lowered by the producer to the broker's max message size once it is known. */
    public maxBytes: number,
  ) {
    this.w = new ProtoWriter(Math.min(Math.max(maxBytes + 4096, 4096), 8 * 1024 * 1024));
  }

  get count(): number {
    return this.messages.length;
  }

  /** Bytes of batch payload so far. */
  get bytes(): number {
    return this.w.pos;
  }

  /** Whether `m` may join the current batch (an empty batch takes anything, even an oversized message). */
  canAdd(m: T): boolean {
    const n = this.messages.length;
    if (n === 0) return true;
    if (n >= this.maxMessages) return false;
    if (this.w.pos + m.payload.length + 32 > this.maxBytes) return false;
    return true;
  }

  /** Appends a message (call {@link canAdd} first). */
  add(m: T): void {
    const w = this.w;
    const s = this.smm;
    s.payloadSize = m.payload.length;
    s.partitionKey = m.key;
    s.orderingKey = m.orderingKey;
    s.properties = m.properties;
    s.eventTime = m.eventTime;
    s.sequenceId = m.sequenceId;
    w.ensure(4);
    const sizePos = w.pos;
    w.pos += 4;
    writeSingleMessageMetadata(w, s);
    w.buf.writeUInt32BE(w.pos - sizePos - 4, sizePos);
    w.raw(m.payload);
    if (this.messages.length === 0) {
      this.key = m.key;
      this.orderingKey = m.orderingKey;
    } else {
      if (this.key !== m.key) this.key = null;
      if (!sameBytes(this.orderingKey, m.orderingKey)) this.orderingKey = null;
    }
    this.messages.push(m);
  }

  /** True when the batch should be sent now. */
  get full(): boolean {
    return this.messages.length >= this.maxMessages || this.w.pos >= this.maxBytes;
  }

  /**
   * Takes the batch out and resets the builder. With `borrow` the payload is a view of the builder's
   * buffer (no copy; valid until the next `add()`): what a caller that compresses at once wants.
   */
  build(borrow = false): Batch<T> {
    const messages = this.messages;
    const batch: Batch<T> = {
      payload: borrow ? this.w.view() : this.w.finish(),
      messages,
      firstSequenceId: messages[0]!.sequenceId,
      lastSequenceId: messages[messages.length - 1]!.sequenceId,
      key: this.key ?? undefined,
      orderingKey: this.orderingKey ?? undefined,
    };
    this.messages = [];
    this.key = undefined;
    this.orderingKey = undefined;
    this.w.reset();
    return batch;
  }
}

function sameBytes(a: Uint8Array | undefined | null, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (a == null || b === undefined || a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
