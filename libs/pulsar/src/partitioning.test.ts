import { describe, expect, it } from 'vitest';
import { RoundRobinRouter, javaStringHash, javaStringHashCode, partitionForKey } from './partitioning';

describe('JavaStringHash', () => {
  it('matches known Java String.hashCode() values', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('abc')).toBe(96354);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Hello World')).toBe(-862545276);
    // The classic string whose hashCode is Integer.MIN_VALUE.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('hashes UTF-16 code units, like Java (not UTF-8 bytes)', () => {
    expect(javaStringHashCode('é')).toBe(233);
    // U+1F600 is the surrogate pair D83D DE00: 0xD83D * 31 + 0xDE00
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
  });

  it('masks to non-negative and routes modulo the partition count', () => {
    expect(javaStringHash('Hello World')).toBe(-862545276 & 0x7fffffff);
    expect(javaStringHash('polygenelubricants')).toBe(0);
    expect(partitionForKey('hello', 4)).toBe(99162322 % 4);
    expect(partitionForKey('Hello World', 7)).toBe((-862545276 & 0x7fffffff) % 7);
    for (const k of ['a', 'key-1', 'user:42', '😀']) {
      const p = partitionForKey(k, 5);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(5);
    }
  });
});

describe('RoundRobinRouter', () => {
  it('cycles through partitions', () => {
    const r = new RoundRobinRouter(3);
    const first = r.choose();
    expect([r.choose(), r.choose(), r.choose()]).toEqual([(first + 1) % 3, (first + 2) % 3, first]);
  });

  it('stays on a partition for switchEvery messages', () => {
    const r = new RoundRobinRouter(2, 3);
    const seq = Array.from({ length: 6 }, () => r.choose());
    expect(seq.slice(0, 3).every((p) => p === seq[0])).toBe(true);
    expect(seq.slice(3).every((p) => p === (seq[0]! + 1) % 2)).toBe(true);
  });
});
