import { describe, expect, it } from 'vitest';
import { FifoQueue } from './fifo-queue';

describe('FifoQueue', () => {
  it('keeps FIFO order across growth, with unshift putting items in front', () => {
    const q = new FifoQueue<number>();
    for (let i = 0; i < 40; i++) q.push(i);
    expect(q.shift()).toBe(0);
    q.unshift(-1);
    q.unshift(-2);
    for (let i = 40; i < 100; i++) q.push(i);
    const out: number[] = [];
    q.drainTo((n) => out.push(n));
    expect(out).toEqual([-2, -1, ...Array.from({ length: 99 }, (_, i) => i + 1)]);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('wraps around the ring without losing items', () => {
    const q = new FifoQueue<number>();
    const out: number[] = [];
    for (let round = 0; round < 50; round++) {
      q.push(round * 2);
      q.push(round * 2 + 1);
      out.push(q.shift()!);
    }
    q.drainTo((n) => out.push(n));
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
