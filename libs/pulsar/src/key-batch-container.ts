/**
 * Key-based batching: one open batch per key, so interleaved keys (the pipeline's normal traffic, key =
 * tenant/source/entity) still fill batches instead of closing one on every key change. Each batch
 * carries one key, which the broker needs to dispatch batch entries on Key_Shared subscriptions.
 *
 * Limits apply to the container as a whole, as in the Go and Java clients: `maxMessages` counts the
 * messages of all open batches together and `maxBytes` their estimated record bytes together; reaching
 * either flushes every open batch. So at most `maxMessages` keys are open at once and the memory held
 * is bounded by `maxBytes`. Size them for the keys in flight: with K interleaved keys a flush holds
 * about maxMessages / K messages per key (the defaults, 1000 messages / 128 KiB, give 1,000 keys of
 * 1 KiB messages about one message per batch, in any client). One limit is per batch: no key's batch may
 * exceed the broker's max message size (`capBatchBytes`); a message that would make it do so flushes
 * the container first. `maxDelayMs` runs from the first message into an empty container.
 *
 * Sequence ids. The broker's de-duplication drops an entry whose `sequence_id` is ≤ the highest one it
 * has seen from the producer. Had messages taken their ids on `send()`, interleaved keys A0 B1 A2 B3
 * would flush as A[0..2] and B[1..3]: B starts below A's highest and the broker drops it as a duplicate
 * (whichever order the batches go in, their ranges overlap). The Java client instead reorders batches by
 * their highest id and sends that as the batch's id, which keeps entries ordered but leaves the
 * per-message ids out of order on the wire (1, 2, 0, 3 …) for any consumer that relies on them. Here
 * records are written at flush time and each batch, in the order they are sent, takes the next
 * consecutive ids: A gets 0..1, B 2..3. Ids then rise strictly on the wire, per entry and per message,
 * and a reconnect re-sends the queued frames unchanged, so de-duplication stays exact. The cost: a
 * message's sequence id is not known before its batch is flushed, so a message with an explicit id is
 * not batched by this container (the producer flushes it and sends that message alone).
 *
 * Flush order: batches go in the order their keys' oldest held message arrived, so the message that
 * has waited longest goes first; within a key, messages keep their send order, and a key's later
 * batches follow its earlier ones, which is the per-key order Key_Shared consumers see.
 */
import type { Batch, BatchedMessage } from './batch-builder';
import { BatchBuilder } from './batch-builder';
import type { BatchContainer, SequenceIdAllocator } from './batch-container';

export class KeyBatchContainer<T extends BatchedMessage> implements BatchContainer<T> {
  readonly writesAtFlush = true;
  /** Open batches by grouping key; a Map iterates in insertion order = arrival of each key's oldest. */
  private readonly groups = new Map<string, KeyGroup<T>>();
  private messages = 0;
  private bytes = 0;
  private readonly builder: BatchBuilder<T>;
  /** No single key's batch grows beyond this (the broker's max message size, once known). */
  private batchBytesCap: number;

  constructor(
    readonly maxMessages: number,
    readonly maxBytes: number,
  ) {
    this.batchBytesCap = maxBytes;
    // Writes one key's batch at a time at flush (its own limits are not consulted: the container's
    // bound every batch).
    this.builder = new BatchBuilder<T>(maxMessages, maxBytes);
  }

  get count(): number {
    return this.messages;
  }

  capBatchBytes(bytes: number): void {
    this.batchBytesCap = Math.min(this.maxBytes, bytes);
  }

  get maxMessageBytes(): number {
    return this.batchBytesCap;
  }

  /** Open per-key batches. */
  get openBatches(): number {
    return this.groups.size;
  }

  /** Estimated record bytes held (an upper bound of the batch payloads they will make). */
  get estimatedBytes(): number {
    return this.bytes;
  }

  canAdd(m: T): boolean {
    if (this.messages === 0) return true;
    const n = recordBytesUpperBound(m);
    if (this.messages >= this.maxMessages || this.bytes + n > this.maxBytes) return false;
    const group = this.groups.get(groupingKey(m));
    return group === undefined || group.bytes + n <= this.batchBytesCap;
  }

  add(m: T): void {
    const k = groupingKey(m);
    const n = recordBytesUpperBound(m);
    const group = this.groups.get(k);
    if (group === undefined) this.groups.set(k, { messages: [m], bytes: n });
    else {
      group.messages.push(m);
      group.bytes += n;
    }
    this.messages++;
    this.bytes += n;
  }

  get full(): boolean {
    return this.messages >= this.maxMessages || this.bytes >= this.maxBytes;
  }

  flush(allocate: SequenceIdAllocator, borrow: boolean, emit: (batch: Batch<T>) => void): void {
    const groups = [...this.groups.values()];
    this.clear();
    const b = this.builder;
    for (const { messages } of groups) {
      let id = allocate(messages.length);
      for (const m of messages) {
        m.sequenceId = id++;
        b.add(m);
      }
      emit(b.build(borrow));
    }
  }

  discard(): T[] {
    const all = [...this.groups.values()].flatMap((g) => g.messages);
    this.clear();
    return all;
  }

  private clear(): void {
    this.groups.clear();
    this.messages = 0;
    this.bytes = 0;
  }
}

interface KeyGroup<T> {
  readonly messages: T[];
  /** Estimated record bytes (upper bound). */
  bytes: number;
}

/**
 * What Key_Shared dispatches by: the ordering key when set, else the partition key; keyless messages
 * batch together. Prefixes keep an ordering key, a partition key and "no key" apart.
 */
function groupingKey(m: BatchedMessage): string {
  if (m.orderingKey !== undefined)
    return `o${Buffer.from(m.orderingKey.buffer, m.orderingKey.byteOffset, m.orderingKey.length).toString('latin1')}`;
  return m.key === undefined ? '' : `k${m.key}`;
}

/**
 * Bytes a message's record can take in a batch payload, from above: the 4-byte size, the payload, and
 * its SingleMessageMetadata (each field's tag and length prefix ≤ 6 bytes; varints ≤ 10). An upper
 * bound keeps every batch within `maxBytes` without encoding the record twice.
 */
export function recordBytesUpperBound(m: BatchedMessage): number {
  let n = 4 + m.payload.length + 6 + 11 + 11 + 11; // size, payload, payload_size, event_time, sequence_id
  if (m.key !== undefined) n += 6 + Buffer.byteLength(m.key);
  if (m.orderingKey !== undefined) n += 6 + m.orderingKey.length;
  if (m.properties) {
    for (const k in m.properties) n += 18 + Buffer.byteLength(k) + Buffer.byteLength(m.properties[k]!);
  }
  return n;
}
