/**
 * Message identifiers: `(ledgerId, entryId)` locate an entry in the topic's managed ledger; `partition`
 * says which partition of a partitioned topic (−1 when not partitioned); `batchIndex` selects a message
 * inside a batch entry (−1 for a non-batched entry).
 */
import type { MessageIdData } from './proto/commands';
import { MessageIdDataSchema } from './proto/commands';
import { decodeMessage, encodeMessage } from './proto/schema';
import { ProtoReader, ProtoWriter } from './proto/wire';
import type { BatchAckState } from './batch-ack-state';

/** An immutable message id, ordered like the Java client's `MessageIdImpl`/`BatchMessageIdImpl`. */
export class MessageId {
  /**
   * Shared ack state of the batch this message belongs to (internal; not part of the public contract).
   * @internal
   */
  batchState: BatchAckState | undefined;
  /**
   * A chunked message: the entries of its chunks before the last (this id names the last). Acked and
   * redelivered with it (internal).
   * @internal
   */
  chunkEntries: MessageIdData[] | undefined;

  constructor(
    readonly ledgerId: number,
    readonly entryId: number,
    readonly partition = -1,
    readonly batchIndex = -1,
    readonly batchSize = 0,
  ) {}

  /** The position before any message (`-1:-1`), as Java's `MessageId.earliest`. */
  static readonly earliest = new MessageId(-1, -1);
  /** The position after the last message, as Java's `MessageId.latest`. */
  static readonly latest = new MessageId(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

  /** From the wire form. */
  static fromData(d: MessageIdData, partition?: number, batchIndex?: number, batchSize?: number): MessageId {
    return new MessageId(
      d.ledgerId,
      d.entryId,
      partition ?? d.partition ?? -1,
      batchIndex ?? d.batchIndex ?? -1,
      batchSize ?? d.batchSize ?? 0,
    );
  }

  /** Wire form (for ACK, REDELIVER, SEEK). */
  toData(): MessageIdData {
    const d: MessageIdData = { ledgerId: this.ledgerId, entryId: this.entryId };
    if (this.partition >= 0) d.partition = this.partition;
    if (this.batchIndex >= 0) d.batchIndex = this.batchIndex;
    if (this.batchSize > 0) d.batchSize = this.batchSize;
    return d;
  }

  /** Every entry this message occupies: one, or each chunk's of a chunked message. */
  entries(): MessageIdData[] {
    const own = this.entryData();
    return this.chunkEntries ? [...this.chunkEntries, own] : [own];
  }

  /** Wire form of the entry alone (batch index dropped): what entry-level acks carry. */
  entryData(): MessageIdData {
    return { ledgerId: this.ledgerId, entryId: this.entryId };
  }

  /** The Java client's string form: `ledger:entry:partition[:batchIndex]`. */
  toString(): string {
    const base = `${this.ledgerId}:${this.entryId}:${this.partition}`;
    return this.batchIndex >= 0 ? `${base}:${this.batchIndex}` : base;
  }

  /** Parses {@link toString}'s output. */
  static parse(s: string): MessageId {
    const parts = s.split(':').map(Number);
    if (parts.length < 2 || parts.some((n) => !Number.isInteger(n))) {
      throw new TypeError(`invalid message id '${s}'`);
    }
    return new MessageId(parts[0]!, parts[1]!, parts[2] ?? -1, parts[3] ?? -1);
  }

  /** Serialises as a `MessageIdData` protobuf, the same bytes as Java's `MessageId.toByteArray()`. */
  toBytes(): Buffer {
    const w = new ProtoWriter(32);
    encodeMessage(MessageIdDataSchema, this.toData(), w);
    return w.finish();
  }

  /** Inverse of {@link toBytes}. */
  static fromBytes(b: Uint8Array): MessageId {
    const d = decodeMessage<MessageIdData>(MessageIdDataSchema, new ProtoReader(b), b.length);
    return MessageId.fromData(d);
  }

  /** Total order: ledger, entry, then batch index (partition must match to be meaningful). */
  compareTo(o: MessageId): number {
    return this.ledgerId - o.ledgerId || this.entryId - o.entryId || this.batchIndex - o.batchIndex;
  }

  equals(o: MessageId): boolean {
    return (
      this.ledgerId === o.ledgerId &&
      this.entryId === o.entryId &&
      this.partition === o.partition &&
      this.batchIndex === o.batchIndex
    );
  }
}

/** Key identifying an entry (ledger:entry), used to group batch messages. */
export function entryKey(ledgerId: number, entryId: number): string {
  return `${ledgerId}:${entryId}`;
}
