import { describe, expect, it } from 'vitest';
import { HoltLinear, HoltWinters, LinearTrend, SeasonalNaive, type Forecaster } from './models';

const PERIOD = 60;
const seasonal = (t: number) => 100 + 50 * Math.sin((2 * Math.PI * t) / PERIOD) + 0.2 * t;

function meanError(model: Forecaster, series: (t: number) => number, length: number, h: number): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < length; t++) {
    const f = t >= 4 * PERIOD ? model.forecastAt(h) : undefined;
    if (f !== undefined) {
      sum += Math.abs(series(t - 1 + h) - f);
      n++;
    }
    model.observe(series(t));
  }
  return sum / n;
}

describe('forecasters', () => {
  it('seasonal naive repeats the last period', () => {
    const model = new SeasonalNaive(3);
    for (const v of [1, 2, 3, 4, 5, 6]) model.observe(v);
    expect([1, 2, 3].map((h) => model.forecastAt(h))).toEqual([4, 5, 6]);
    expect(model.forecastAt(4)).toBeUndefined();
  });

  it('a linear trend extrapolates a line exactly', () => {
    const model = new LinearTrend(10);
    for (let t = 0; t < 20; t++) model.observe(3 * t + 7);
    expect(model.forecastAt(5)).toBeCloseTo(3 * 24 + 7, 6);
  });

  it('Holt-Winters learns a trending season better than Holt or seasonal naive', () => {
    const hw = meanError(new HoltWinters(PERIOD, 'additive', 0.3, 0.05, 0.3), seasonal, 20 * PERIOD, 5);
    const holt = meanError(new HoltLinear(), seasonal, 20 * PERIOD, 5);
    const naive = meanError(new SeasonalNaive(PERIOD), seasonal, 20 * PERIOD, 5);
    expect(hw).toBeLessThan(holt);
    expect(hw).toBeLessThan(naive);
  });

  it('multiplicative Holt-Winters stays bounded through a gap and a near-zero level', () => {
    const model = new HoltWinters(PERIOD, 'multiplicative');
    for (let t = 0; t < 3 * PERIOD; t++) model.observe(seasonal(t));
    for (let t = 0; t < PERIOD; t++) model.observe(t % 2 ? Number.NaN : 0.001);
    for (let t = 0; t < PERIOD; t++) model.observe(seasonal(t));
    for (let h = 1; h <= 10; h++) expect(model.forecastAt(h)!).toBeLessThanOrEqual(2 * 300);
  });
});
