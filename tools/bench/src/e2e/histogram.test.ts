import { describe, expect, it } from 'vitest';
import { percentile } from '../stats';
import { LatencyHistogram } from './histogram';

describe('LatencyHistogram', () => {
  // A skewed sample like latencies: mostly small, a long tail.
  const sample = Array.from({ length: 20_000 }, (_, i) => 0.5 + ((i * 7919) % 1000) ** 2 / 2000);

  it('reports percentiles within 1 % of the exact nearest-rank value', () => {
    const h = new LatencyHistogram();
    for (const v of sample) h.record(v);
    expect(h.count).toBe(sample.length);
    for (const p of [50, 90, 99, 99.9]) {
      const exact = percentile(sample, p);
      expect(Math.abs(h.percentile(p) - exact) / exact, `p${p}`).toBeLessThanOrEqual(0.01);
    }
    expect(h.percentile(100)).toBe(Math.max(...sample));
  });

  it('merges and survives the trip over IPC', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    sample.forEach((v, i) => (i % 2 ? a : b).record(v));
    const merged = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    merged.merge(b);
    expect(merged.count).toBe(sample.length);
    const exact = percentile(sample, 99);
    expect(Math.abs(merged.percentile(99) - exact) / exact).toBeLessThanOrEqual(0.01);
  });

  it('has no percentile without samples', () => {
    expect(new LatencyHistogram().percentile(50)).toBeNaN();
  });
});
