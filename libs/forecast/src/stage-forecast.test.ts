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
    // Steps 0..8 closed; only the first two had samples.
    expect(f.history).toBe(2);
  });

  it('tells its keeper about every closed step, gaps as NaN, on the grid of its first sample', () => {
    const steps: Array<[number, number]> = [];
    const f = new StageForecast({ stepMs: 1000, leadMs: 3000, onStep: (start, v) => steps.push([start, v]) });
    f.add(10, 500);
    f.add(30, 900);
    f.add(50, 3600);
    expect(steps).toEqual([
      [500, 20],
      [1500, Number.NaN],
      [2500, Number.NaN],
    ]);
  });

  it('continues a restored history where it ended, as if it had never stopped', () => {
    const series = Array.from({ length: 300 }, (_, s) => 100 + s);
    const live = new StageForecast({ stepMs: 1000, leadMs: 3000 });
    series.forEach((v, s) => live.add(v, s * 1000));
    live.add(400, 300_000); // closes the last step

    const restarted = new StageForecast({ stepMs: 1000, leadMs: 3000, onStep: () => undefined });
    restarted.restore(0, Float64Array.from(series));
    expect(restarted.history).toBe(300);
    expect(restarted.upperPeak()).toEqual(live.upperPeak());
    // A sample inside the restored span is old news; the next step continues the grid.
    const closed: number[] = [];
    const next = new StageForecast({ stepMs: 1000, leadMs: 3000, onStep: (start) => closed.push(start) });
    next.restore(0, Float64Array.from(series));
    next.add(1, 10_000);
    next.add(400, 300_200);
    next.add(400, 301_000);
    expect(closed).toEqual([300_000]);
    expect(next.history).toBe(301);
    expect(() => next.restore(0, [1])).toThrow(/before the first sample/);
  });

  it('learns a weekly season at one-minute steps: a weekday/weekend shape a day cannot explain', () => {
    const f = new StageForecast({ stepMs: 60_000, leadMs: 300_000 });
    const weeks = 3;
    const minuteRate = (m: number) => {
      const day = Math.floor(m / 1440) % 7;
      const hour = (m % 1440) / 60;
      const daily = 100 + 80 * Math.sin((2 * Math.PI * hour) / 24);
      return day >= 5 ? daily * 0.2 : daily; // quiet weekends
    };
    for (let m = 0; m <= weeks * 10_080; m++) f.add(minuteRate(m), m * 60_000);
    expect(f.upperPeak()!.model).toMatch(/\(10080\)$/);
  });
});
