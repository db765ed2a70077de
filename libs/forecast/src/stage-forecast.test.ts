import { describe, expect, it } from 'vitest';
import { StageForecast } from './stage-forecast';

describe('StageForecast', () => {
  it('averages samples into steps and counts the steps it rests on', () => {
    const f = new StageForecast({ stepMs: 1000, leadMs: 3000 });
    for (let t = 0; t < 10_000; t += 250) f.add(t % 1000 < 500 ? 90 : 110, t);
    // Nine steps closed (the tenth is still open), each the mean of its four samples.
    expect(f.history).toBe(9);
    expect(f.dataAgeMs(10_000)).toBe(250);
  });

  it('plans for at least the load it sees rising, with the interval above the point forecast', () => {
    const f = new StageForecast({ stepMs: 1000, leadMs: 3000 });
    for (let s = 0; s < 200; s++) f.add(100 + s + (s % 2 ? 5 : -5), s * 1000);
    const peak = f.upperPeak()!;
    // The last steps were ~300/s and rising ~1/s per step: three steps ahead is above 300.
    expect(peak.value).toBeGreaterThan(300);
    expect(peak.value).toBeLessThan(340);
  });

  it('has no forecast before it has scored one, and treats a step without samples as a gap', () => {
    const f = new StageForecast({ stepMs: 1000, leadMs: 5000 });
    f.add(10, 0);
    f.add(10, 1000);
    expect(f.upperPeak()).toBeUndefined();
    f.add(10, 9000);
    expect(f.history).toBe(9);
  });
});
