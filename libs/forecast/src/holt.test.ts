import { describe, expect, it } from 'vitest';
import { HoltForecaster } from './holt';
import { LoadObserver } from './load-observer';

describe('HoltForecaster', () => {
  it('extrapolates a steady ramp', () => {
    const f = new HoltForecaster(0.8, 0.8);
    for (let t = 0; t < 50; t++) f.observe(100 + 10 * t);
    expect(f.forecast(5)).toBeCloseTo(100 + 10 * 49 + 50, 0);
  });

  it('settles on a flat series', () => {
    const f = new HoltForecaster();
    for (let t = 0; t < 100; t++) f.observe(42);
    expect(f.forecast(10)).toBeCloseTo(42, 5);
  });

  it('never forecasts a negative rate and ignores non-numbers', () => {
    const f = new HoltForecaster(0.9, 0.9);
    for (const v of [100, 50, 10, 0, Number.NaN]) f.observe(v);
    expect(f.observations).toBe(4);
    expect(f.forecast(10)).toBe(0);
  });

  it('knows nothing before the first observation', () => {
    expect(new HoltForecaster().forecast()).toBeUndefined();
  });
});

describe('LoadObserver', () => {
  it('forecasts each stage separately', () => {
    const observer = new LoadObserver(1);
    observer.observe([
      { stage: 'a', inRate: 10, outRate: 10, inFlight: 0 },
      { stage: 'b', inRate: 1000, outRate: 900, inFlight: 5 },
    ]);
    const [a, b] = observer.observe([
      { stage: 'a', inRate: 10, outRate: 10, inFlight: 0 },
      { stage: 'b', inRate: 1000, outRate: 1000, inFlight: 5 },
    ]);
    expect(a?.forecastInRate).toBeCloseTo(10);
    expect(b?.forecastInRate).toBeCloseTo(1000);
  });
});
