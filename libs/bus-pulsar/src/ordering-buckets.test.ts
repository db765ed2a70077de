import { describe, expect, it } from 'vitest';
import { bucketOf } from './pulsar-bus';

describe('bucketOf', () => {
  it('is 32-bit FNV-1a of the key modulo the bucket count, the same in every process and release', () => {
    // Fixed values: a change here would move keys to other buckets while their messages are in flight.
    expect(bucketOf('a', 1000)).toBe(0xe40c292c % 1000); // FNV-1a("a") = 0xe40c292c
    expect(bucketOf('demo/fraud.cards/card-1', 16)).toBe(11);
    expect(bucketOf('demo/ids.suricata/sensor-7', 16)).toBe(0);
  });

  it('spreads keys over every bucket about evenly', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[bucketOf(`demo/log.app/host-${i}`, 16)]!++;
    // 1,000 expected per bucket; binomial sd ~31.
    for (const c of counts) expect(c).toBeGreaterThan(850);
    for (const c of counts) expect(c).toBeLessThan(1150);
  });
});
