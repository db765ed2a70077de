import { describe, expect, it } from 'vitest';
import { ChunkAssembler } from './chunk-assembler';
import type { MessageIdData } from './proto/commands';

const chunk = (uuid: string, chunkId: number, total = 3) => ({
  producerName: 'p',
  sequenceId: 1,
  publishTime: 1,
  uuid,
  chunkId,
  numChunksFromMsg: total,
});
const at = (entryId: number): MessageIdData => ({ ledgerId: 1, entryId });

function assembler(maxPending = 10, expireMs = 60_000) {
  const givenUp: { entries: MessageIdData[]; why: string }[] = [];
  const a = new ChunkAssembler(maxPending, expireMs, (entries, why) => givenUp.push({ entries, why }));
  return { a, givenUp };
}

describe('ChunkAssembler', () => {
  it('rebuilds a message from its chunks in order, with every entry', () => {
    const { a } = assembler();
    expect(a.add(at(0), chunk('u', 0), Buffer.from('ab'))).toEqual({ kind: 'partial' });
    expect(a.add(at(1), chunk('u', 1), Buffer.from('cd'))).toEqual({ kind: 'partial' });
    const done = a.add(at(2), chunk('u', 2), Buffer.from('e'));
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;
    expect(done.message.payload.toString()).toBe('abcde');
    expect(done.message.entries).toEqual([at(0), at(1), at(2)]);
    expect(a.size).toBe(0);
  });

  it('keeps interleaved messages apart', () => {
    const { a } = assembler();
    a.add(at(0), chunk('x', 0, 2), Buffer.from('x1'));
    a.add(at(1), chunk('y', 0, 2), Buffer.from('y1'));
    const y = a.add(at(2), chunk('y', 1, 2), Buffer.from('y2'));
    const x = a.add(at(3), chunk('x', 1, 2), Buffer.from('x2'));
    expect(y.kind === 'complete' && y.message.payload.toString()).toBe('y1y2');
    expect(x.kind === 'complete' && x.message.payload.toString()).toBe('x1x2');
  });

  it('calls a chunk without its predecessors stray, and starts over on a redelivered first chunk', () => {
    const { a } = assembler();
    expect(a.add(at(5), chunk('u', 1), Buffer.from('cd'))).toEqual({ kind: 'stray' });
    a.add(at(0), chunk('u', 0), Buffer.from('ab'));
    a.add(at(0), chunk('u', 0), Buffer.from('ab')); // the message comes again from its start
    a.add(at(1), chunk('u', 1), Buffer.from('cd'));
    const done = a.add(at(2), chunk('u', 2), Buffer.from('e'));
    expect(done.kind === 'complete' && done.message.payload.toString()).toBe('abcde');
  });

  it('gives up the oldest incomplete message when too many are pending, for redelivery', () => {
    const { a, givenUp } = assembler(2);
    a.add(at(0), chunk('a', 0), Buffer.from('1'));
    a.add(at(1), chunk('b', 0), Buffer.from('1'));
    a.add(at(2), chunk('c', 0), Buffer.from('1'));
    expect(givenUp).toEqual([{ entries: [at(0)], why: expect.stringMatching(/too many/) }]);
    expect(a.add(at(3), chunk('a', 1), Buffer.from('2'))).toEqual({ kind: 'stray' });
  });

  it('gives up incomplete messages older than the expiry', () => {
    const { a, givenUp } = assembler(10, 1_000);
    a.add(at(0), chunk('old', 0), Buffer.from('1'), 0);
    a.add(at(1), chunk('new', 0), Buffer.from('1'), 900);
    a.add(at(2), chunk('new', 1), Buffer.from('2'), 1_500);
    expect(givenUp).toEqual([{ entries: [at(0)], why: expect.stringMatching(/expired/) }]);
    expect(a.size).toBe(1);
  });
});
