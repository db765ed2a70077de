import { describe, expect, it } from 'vitest';
import { backtest } from './backtest';
import { backtestHtml, backtestSvg } from './plot';
import { parseTrace } from './trace';

describe('the backtest plot', () => {
  const rows = ['time,n'];
  for (let t = 0; t < 3 * 1440; t++) rows.push(`${t * 60},${t % 1440 > 600 && t % 1440 < 900 ? 600 : 60}`);
  const trace = parseTrace(rows.join('\n'));
  const result = backtest(trace, { leadMinutes: 3 });

  it('draws demand, the forecast bound and both policies’ ready capacity, with a legend and dates', () => {
    const svg = backtestSvg(result, trace.start, { points: 200 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path d="M/g)).toHaveLength(4);
    for (const label of ['demand (events/s)', 'forecast upper bound', 'reactive HPA', 'predictive floor']) {
      expect(svg).toContain(label);
    }
    expect(svg).toContain('>1970-01-01<');
  });

  it('puts the RESULT line above the picture, escaped', () => {
    const html = backtestHtml(result, trace.start, 'RESULT a<b & c');
    expect(html).toContain('<pre>RESULT a&lt;b &amp; c</pre>');
    expect(html).toContain('<svg');
  });
});
