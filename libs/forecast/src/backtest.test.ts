import { describe, expect, it } from 'vitest';
import { backtest } from './backtest';
import { parseTrace } from './trace';

/** Three weeks of a daily cycle with sharp morning ramps and noise, and a gap of zeros. */
function syntheticCsv(): string {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = ['time,requests'];
  for (let t = 0; t < 21 * 1440; t++) {
    const minuteOfDay = t % 1440;
    const ramp = minuteOfDay > 480 && minuteOfDay < 1080 ? 3000 : 300;
    const gap = t > 10 * 1440 && t < 10 * 1440 + 300;
    rows.push(`${t * 60},${gap ? 0 : Math.round(ramp * (0.9 + 0.2 * rand()))}`);
  }
  return rows.join('\n');
}

describe('backtest', () => {
  const trace = parseTrace(syntheticCsv(), { maskZeroRunsMinutes: 60 });
  const result = backtest(trace, { leadMinutes: 5 });

  it('masks the gap and detects the daily period', () => {
    expect(trace.masked.reduce((a, b) => a + b, 0)).toBe(299);
    expect(result.periodMinutes).toBe(1440);
  });

  it('cuts under-provisioned minutes against the reactive HPA at a bounded cost', () => {
    expect(result.underprovReactive).toBeGreaterThan(0);
    expect(result.underprovPredictive).toBeLessThan(result.underprovReactive);
    expect(result.underprovReduction).toBeGreaterThan(0);
    expect(result.costIncrease).toBeLessThan(0.5);
  });

  it('forecasts better than seasonal naive on a noisy daily series', () => {
    expect(result.mase).toBeLessThan(result.maseSeasonalNaive);
  });
});
