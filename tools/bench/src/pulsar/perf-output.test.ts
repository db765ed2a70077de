import { describe, expect, it } from 'vitest';
import { fmt, median, percentile } from '../stats';
import { parsePerfOutput } from './perf-output';

describe('parsePerfOutput', () => {
  it('reads producer throughput and latency from pulsar-perf 4.0 output', () => {
    const out = [
      '14:41:07.000 INFO  PerformanceProducer - Created 1 producers',
      '14:41:09.500 INFO  PerformanceProducer - ------------- DONE (reached the maximum number: 50000 of production) --------------',
      '14:41:17.554 INFO  PerformanceProducer - Aggregated throughput stats --- 52780 records sent --- 5274.816 msg/s --- 41.209 Mbit/s ',
      '14:41:17.603 INFO  PerformanceProducer - Aggregated latency stats --- Latency: mean:  44.566 ms - med:  39.386 - 95pct:  87.583 - 99pct:  93.400 - 99.9pct:  93.477 - Max: 120.360',
    ].join('\n');
    expect(parsePerfOutput(out)).toEqual({
      activeMs: 2500,
      records: 52780,
      msgPerSec: 5274.816,
      latencyMs: { mean: 44.566, p50: 39.386, p95: 87.583, p99: 93.4 },
    });
  });

  it('reads consumer throughput', () => {
    const out =
      'INFO  PerformanceConsumer - Aggregated throughput stats --- 100000 records received --- 81234.5 msg/s --- 634.6 Mbit/s';
    expect(parsePerfOutput(out)).toEqual({ records: 100000, msgPerSec: 81234.5 });
  });

  it('returns nothing it did not find', () => {
    expect(parsePerfOutput('Exception in thread "main"')).toEqual({});
  });
});

describe('stats', () => {
  it('takes medians and nearest-rank percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const sample = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sample, 50)).toBe(50);
    expect(percentile(sample, 99)).toBe(99);
    expect(fmt(1234.56789)).toBe('1234.6');
    expect(fmt(12)).toBe('12');
  });
});
