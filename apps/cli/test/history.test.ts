import { parseTrace } from '@patternmesh/forecast';
import { describe, expect, it } from 'vitest';
import { historyCsv, summaryLine } from '../src/commands/history';

const START = Date.UTC(2026, 11, 1, 12, 0);
const series = { start: START, values: Float64Array.from([2, Number.NaN, 4]) };

describe('the history command’s output', () => {
  it('summarizes a stage: steps, steps with data, span and level', () => {
    expect(summaryLine('normalize', series, 60_000)).toBe(
      'stage=normalize steps=3 with_data=2 from=2026-12-01T12:00:00.000Z to=2026-12-01T12:03:00.000Z' +
        ' mean_per_s=3.00 last_per_s=4.00',
    );
  });

  it('writes events per minute, a gap as a blank the backtest fills from the minute before', () => {
    const csv = historyCsv(series);
    expect(csv.split('\n').slice(0, 3)).toEqual([
      'time,events',
      '2026-12-01T12:00:00.000Z,120',
      '2026-12-01T12:01:00.000Z,',
    ]);
    const trace = parseTrace(csv);
    expect([...trace.values]).toEqual([120, 120, 240]);
    expect(trace.filled).toBe(1);
  });
});
