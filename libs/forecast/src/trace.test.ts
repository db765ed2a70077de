import { describe, expect, it } from 'vitest';
import { parseTime, parseTrace } from './trace';

describe('parseTrace', () => {
  it('detects the columns, fills missing minutes with the last value and scales', () => {
    const csv = [
      'when,host,count',
      '2026-01-01 00:00:00,a,10',
      '2026-01-01 00:01:00,a,20',
      '2026-01-01 00:04:00,a,40',
    ].join('\n');
    const trace = parseTrace(csv, { scale: 2 });
    expect([trace.timeColumn, trace.valueColumn]).toEqual(['when', 'count']);
    expect([...trace.values]).toEqual([20, 40, 40, 40, 80]);
    expect(trace.filled).toBe(2);
    expect(trace.start).toBe(Date.UTC(2026, 0, 1));
  });

  it('treats a blank value as a minute without data, filled like a missing row, not as zero', () => {
    const csv = ['time,n', '0,10', '60,', '120,30', '120,', '180, '].join('\n');
    const trace = parseTrace(csv);
    expect([...trace.values]).toEqual([10, 10, 30, 30]);
    expect(trace.filled).toBe(2);
  });

  it('takes named columns, and sums rows that fall into the same minute', () => {
    const csv = ['t,a,b', '0,1,5', '30,1,7', '60,1,9'].join('\n');
    expect([...parseTrace(csv, { timeColumn: 't', valueColumn: 'b' }).values]).toEqual([12, 9]);
    expect(() => parseTrace(csv, { valueColumn: 'c' })).toThrow(/no column "c"/);
  });

  it('masks given spans and long runs of zeros, not short ones', () => {
    const rows = ['time,n'];
    const values = [5, 0, 0, 5, 0, 0, 0, 0, 5, 5];
    values.forEach((v, i) => rows.push(`${i * 60},${v}`));
    const trace = parseTrace(rows.join('\n'), {
      maskZeroRunsMinutes: 3,
      maskSpans: [[9 * 60_000, 9 * 60_000]],
    });
    expect([...trace.masked]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 1]);
  });

  it('reads ISO, space-separated and epoch timestamps', () => {
    expect(parseTime('1995-07-01 00:01:00')).toBe(Date.UTC(1995, 6, 1, 0, 1));
    expect(parseTime('1995-07-01T00:01:00Z')).toBe(Date.UTC(1995, 6, 1, 0, 1));
    expect(parseTime('804556800')).toBe(804556800_000);
    expect(() => parseTime('yesterday')).toThrow(/not a timestamp/);
  });
});
