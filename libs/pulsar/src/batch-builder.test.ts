import { describe, expect, it } from 'vitest';
import type { BatchedMessage } from './batch-builder';
import { BatchBuilder } from './batch-builder';
import { readSingleMessageMetadata } from './proto/metadata';
import { ProtoReader } from './proto/wire';

const msg = (i: number, key?: string, size = 10): BatchedMessage => ({
  payload: Buffer.alloc(size, i),
  key,
  orderingKey: undefined,
  properties: { i: String(i) },
  eventTime: 1000 + i,
  sequenceId: 100 + i,
});

function parse(payload: Buffer, n: number) {
  const out = [];
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const size = payload.readUInt32BE(pos);
    const smm = readSingleMessageMetadata(new ProtoReader(payload, pos + 4, pos + 4 + size), pos + 4 + size);
    const body = payload.subarray(pos + 4 + size, pos + 4 + size + smm.payloadSize);
    out.push({ smm, body });
    pos += 4 + size + smm.payloadSize;
  }
  expect(pos).toBe(payload.length);
  return out;
}

describe('BatchBuilder', () => {
  it('writes [size][SingleMessageMetadata][payload] records with per-message fields', () => {
    const b = new BatchBuilder<BatchedMessage>(10, 1 << 20);
    for (let i = 0; i < 3; i++) b.add(msg(i, `k${i}`));
    const batch = b.build();
    expect(batch.firstSequenceId).toBe(100);
    expect(batch.lastSequenceId).toBe(102);
    expect(batch.key).toBeUndefined(); // mixed keys
    const recs = parse(batch.payload, 3);
    recs.forEach((r, i) => {
      expect(r.smm).toMatchObject({
        partitionKey: `k${i}`,
        payloadSize: 10,
        eventTime: 1000 + i,
        sequenceId: 100 + i,
        properties: { i: String(i) },
      });
      expect(r.body.equals(Buffer.alloc(10, i))).toBe(true);
    });
    expect(b.count).toBe(0);
  });

  it('reports the shared key of a single-key batch', () => {
    const b = new BatchBuilder<BatchedMessage>(10, 1 << 20);
    b.add(msg(0, 'same'));
    b.add(msg(1, 'same'));
    expect(b.build().key).toBe('same');
  });

  it('fills up by count and by bytes; always accepts a first (even oversized) message', () => {
    const byCount = new BatchBuilder<BatchedMessage>(2, 1 << 20);
    byCount.add(msg(0));
    expect(byCount.full).toBe(false);
    byCount.add(msg(1));
    expect(byCount.full).toBe(true);
    expect(byCount.canAdd(msg(2))).toBe(false);

    const byBytes = new BatchBuilder<BatchedMessage>(1000, 100);
    expect(byBytes.canAdd(msg(0, undefined, 500))).toBe(true);
    byBytes.add(msg(0, undefined, 500));
    expect(byBytes.full).toBe(true);
    expect(byBytes.canAdd(msg(1))).toBe(false);
  });

  it('keeps an ordering key shared by content (not by object identity) on the batch', () => {
    const b = new BatchBuilder<BatchedMessage>(10, 1 << 20);
    b.add({ ...msg(0), orderingKey: Buffer.from('ok') });
    b.add({ ...msg(1), orderingKey: new Uint8Array([0x6f, 0x6b]) });
    expect(Buffer.from(b.build().orderingKey!).toString()).toBe('ok');
  });
});
