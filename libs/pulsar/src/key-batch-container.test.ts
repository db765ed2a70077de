import { describe, expect, it } from 'vitest';
import type { Batch, BatchedMessage } from './batch-builder';
import { KeyBatchContainer, recordBytesUpperBound } from './key-batch-container';
import { readSingleMessageMetadata } from './proto/metadata';
import { ProtoReader } from './proto/wire';

const msg = (i: number, key?: string, size = 10): BatchedMessage => ({
  payload: Buffer.alloc(size, i),
  key,
  orderingKey: undefined,
  properties: { i: String(i) },
  eventTime: undefined,
  sequenceId: -1,
});

/** The records of a batch payload: per-message sequence id, key and first payload byte. */
function records(payload: Buffer): { seq: number | undefined; key: string | undefined; tag: number }[] {
  const out = [];
  let pos = 0;
  while (pos < payload.length) {
    const size = payload.readUInt32BE(pos);
    const smm = readSingleMessageMetadata(new ProtoReader(payload, pos + 4, pos + 4 + size), pos + 4 + size);
    out.push({ seq: smm.sequenceId, key: smm.partitionKey, tag: payload[pos + 4 + size]! });
    pos += 4 + size + smm.payloadSize;
  }
  return out;
}

/** Flushes with ids allocated from `first`, copying each batch (as a producer framing it would). */
function flush(c: KeyBatchContainer<BatchedMessage>, first: number, borrow = false): Batch<BatchedMessage>[] {
  let next = first;
  const out: Batch<BatchedMessage>[] = [];
  c.flush(
    (n) => {
      const id = next;
      next += n;
      return id;
    },
    borrow,
    (b) => out.push({ ...b, payload: Buffer.from(b.payload) }),
  );
  return out;
}

describe('KeyBatchContainer', () => {
  it('keeps one open batch per key, so interleaved keys fill batches', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    for (let i = 0; i < 12; i++) c.add(msg(i, `k${i % 3}`));
    expect(c.count).toBe(12);
    expect(c.openBatches).toBe(3);
    const batches = flush(c, 0);
    expect(batches.map((b) => b.key)).toEqual(['k0', 'k1', 'k2']);
    expect(batches.map((b) => b.messages.length)).toEqual([4, 4, 4]);
    // Each key's messages in send order.
    expect(records(batches[1]!.payload).map((r) => r.tag)).toEqual([1, 4, 7, 10]);
    expect(records(batches[1]!.payload).every((r) => r.key === 'k1')).toBe(true);
    expect(c.count).toBe(0);
    expect(c.openBatches).toBe(0);
  });

  it('numbers messages at flush so sequence ids rise strictly across the batches, in send order of the batches', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    // A0 B1 A2 B3 C4: numbered on send they would flush as overlapping ranges A[0,2] B[1,3].
    for (const [i, k] of ['a', 'b', 'a', 'b', 'c'].entries()) c.add(msg(i, k));
    const batches = flush(c, 42);
    expect(batches.map((b) => [b.firstSequenceId, b.lastSequenceId])).toEqual([
      [42, 43],
      [44, 45],
      [46, 46],
    ]);
    const wire = batches.flatMap((b) => records(b.payload).map((r) => r.seq));
    expect(wire).toEqual([42, 43, 44, 45, 46]);
    expect(batches.flatMap((b) => b.messages.map((m) => m.sequenceId))).toEqual([42, 43, 44, 45, 46]);
    // The next flush continues above.
    c.add(msg(5, 'b'));
    expect(flush(c, 47)[0]).toMatchObject({ firstSequenceId: 47, key: 'b' });
  });

  it('flushes the key whose oldest message waited longest first, and a key’s later batch after its earlier one', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    c.add(msg(0, 'late'));
    c.add(msg(1, 'early'));
    c.add(msg(2, 'late'));
    expect(flush(c, 0).map((b) => b.key)).toEqual(['late', 'early']);
    c.add(msg(3, 'early'));
    c.add(msg(4, 'late'));
    expect(flush(c, 3).map((b) => [b.key, records(b.payload).map((r) => r.tag)])).toEqual([
      ['early', [3]],
      ['late', [4]],
    ]);
  });

  it('groups by ordering key content when set, and keeps keyless messages in a batch of their own', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    c.add({ ...msg(0, 'x'), orderingKey: Buffer.from('o1') });
    c.add({ ...msg(1, 'y'), orderingKey: new Uint8Array([0x6f, 0x31]) });
    c.add(msg(2));
    c.add(msg(3, ''));
    c.add(msg(4));
    const batches = flush(c, 0);
    expect(batches).toHaveLength(3);
    expect(Buffer.from(batches[0]!.orderingKey!).toString()).toBe('o1');
    expect(batches[0]!.key).toBeUndefined(); // mixed partition keys, one ordering key
    expect(batches[1]!.messages.map((m) => m.payload[0])).toEqual([2, 4]);
    expect(batches[1]!.key).toBeUndefined();
    expect(batches[2]!.key).toBe('');
  });

  it('applies maxMessages to all open batches together', () => {
    const c = new KeyBatchContainer<BatchedMessage>(3, 1 << 20);
    c.add(msg(0, 'a'));
    c.add(msg(1, 'b'));
    expect(c.full).toBe(false);
    c.add(msg(2, 'c'));
    expect(c.full).toBe(true);
    expect(c.canAdd(msg(3, 'a'))).toBe(false);
  });

  it('applies maxBytes to all open batches together, so no key batch exceeds it', () => {
    const one = recordBytesUpperBound(msg(0, 'a', 100));
    const c = new KeyBatchContainer<BatchedMessage>(1000, 3 * one);
    c.add(msg(0, 'a', 100));
    c.add(msg(1, 'b', 100));
    expect(c.canAdd(msg(2, 'a', 100))).toBe(true);
    c.add(msg(2, 'a', 100));
    expect(c.full).toBe(true);
    expect(c.canAdd(msg(3, 'c', 100))).toBe(false);
    const batches = flush(c, 0);
    expect(batches.reduce((n, b) => n + b.payload.length, 0)).toBeLessThanOrEqual(3 * one);
    // An empty container takes a message even above its limit (the producer sends those alone anyway).
    expect(c.canAdd(msg(4, 'a', 10 * one))).toBe(true);
  });

  it("caps each key's batch at the broker's max message size, while the total may be larger", () => {
    const one = recordBytesUpperBound(msg(0, 'a', 100));
    const c = new KeyBatchContainer<BatchedMessage>(1000, 100 * one);
    c.capBatchBytes(2 * one);
    expect(c.maxMessageBytes).toBe(2 * one);
    c.add(msg(0, 'a', 100));
    c.add(msg(1, 'a', 100));
    expect(c.canAdd(msg(2, 'a', 100))).toBe(false); // a third would take key a's batch over the cap
    expect(c.canAdd(msg(3, 'b', 100))).toBe(true);
  });

  it('bounds record bytes from above', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    const samples = [
      msg(0),
      msg(1, 'tenant/source/entity-ü'),
      { ...msg(2, 'k', 0), properties: { traceparent: '00-abc-def-01', ключ: 'значение' } },
      { ...msg(3, 'k', 2000), eventTime: Date.now(), orderingKey: Buffer.alloc(40) },
    ];
    for (const m of samples) {
      c.add(m);
      const [batch] = flush(c, 2 ** 40);
      expect(batch!.payload.length).toBeLessThanOrEqual(recordBytesUpperBound(m));
    }
  });

  it('discards what it holds (for failing it) without numbering it', () => {
    const c = new KeyBatchContainer<BatchedMessage>(1000, 1 << 20);
    c.add(msg(0, 'a'));
    c.add(msg(1, 'b'));
    const held = c.discard();
    expect(held.map((m) => m.sequenceId)).toEqual([-1, -1]);
    expect(c.count).toBe(0);
    expect(flush(c, 0)).toEqual([]);
  });
});
