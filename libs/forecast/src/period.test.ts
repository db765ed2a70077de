import { describe, expect, it } from 'vitest';
import { detectPeriod } from './period';

describe('detectPeriod', () => {
  const days = 21;
  const masked = new Uint8Array(days * 1440);

  it('finds a daily cycle, and a weekly one when the week dominates', () => {
    const daily = Float64Array.from(
      { length: days * 1440 },
      (_, t) => 100 + 50 * Math.sin((2 * Math.PI * t) / 1440),
    );
    expect(detectPeriod(daily, masked).periodMinutes).toBe(1440);
    const weekly = Float64Array.from(
      { length: days * 1440 },
      (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 1440) + (Math.floor(t / 1440) % 7 >= 5 ? -80 : 0),
    );
    expect(detectPeriod(weekly, masked).periodMinutes).toBe(10080);
  });

  it('finds none in noise', () => {
    let seed = 1;
    const noise = Float64Array.from(
      { length: days * 1440 },
      () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100,
    );
    expect(detectPeriod(noise, masked).periodMinutes).toBeUndefined();
  });
});
