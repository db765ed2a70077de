import type { BacktestResult } from './backtest';

/**
 * The backtest as a picture, dependency-free SVG: demand, the forecast's upper bound, and the capacity
 * each policy had ready (ready replicas × capacity), over time. Long traces are reduced to at most
 * `points` columns, each showing its column's maximum (peaks are what under-provisioning is about).
 */
export function backtestSvg(
  result: BacktestResult,
  start: number,
  { width = 1600, height = 420, points = 1600 } = {},
): string {
  const s = result.series;
  const n = s.demand.length;
  const per = Math.max(1, Math.ceil(n / points));
  const columns = Math.ceil(n / per);
  const reduce = (values: Float64Array, scale = 1) => {
    const out: number[] = [];
    for (let c = 0; c < columns; c++) {
      let max = Number.NaN;
      for (let i = c * per; i < Math.min(n, (c + 1) * per); i++) {
        if (s.masked[i]) continue;
        const v = values[i]! * scale;
        if (!Number.isNaN(v) && !(v <= max)) max = v;
      }
      out.push(max);
    }
    return out;
  };
  const demand = reduce(s.demand);
  const upper = reduce(s.upper);
  const reactive = reduce(s.readyReactive, result.capacity);
  const predictive = reduce(s.readyPredictive, result.capacity);
  const top = Math.max(
    1e-9,
    ...[...demand, ...upper, ...reactive, ...predictive].filter((v) => !Number.isNaN(v)),
  );
  const margin = { left: 60, right: 10, top: 30, bottom: 40 };
  const w = width - margin.left - margin.right;
  const h = height - margin.top - margin.bottom;
  const x = (c: number) => margin.left + (c / Math.max(1, columns - 1)) * w;
  const y = (v: number) => margin.top + h - (v / top) * h;
  const path = (values: number[]) => {
    let d = '';
    let pen = false;
    values.forEach((v, c) => {
      if (Number.isNaN(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(c).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const days: string[] = [];
  for (let minute = 0; minute < n; minute += 1440 * 7) {
    const c = minute / per;
    const label = new Date(start + minute * 60_000).toISOString().slice(0, 10);
    days.push(
      `<line x1="${x(c)}" x2="${x(c)}" y1="${margin.top}" y2="${margin.top + h}" stroke="#ddd"/><text x="${x(c)}" y="${height - 15}" font-size="11" text-anchor="middle">${label}</text>`,
    );
  }
  const legend = [
    ['demand (events/s)', '#333'],
    ['forecast upper bound', '#e39b2b'],
    ['ready capacity, reactive HPA', '#c0392b'],
    ['ready capacity, predictive floor', '#2e86c1'],
  ]
    .map(
      ([label, color], i) =>
        `<rect x="${margin.left + i * 260}" y="8" width="12" height="12" fill="${color}"/><text x="${margin.left + i * 260 + 18}" y="18" font-size="12">${label}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...days,
    `<text x="10" y="${margin.top + 10}" font-size="11">${top.toFixed(0)}</text><text x="10" y="${margin.top + h}" font-size="11">0</text>`,
    `<path d="${path(upper)}" fill="none" stroke="#e39b2b" stroke-width="1" opacity="0.8"/>`,
    `<path d="${path(reactive)}" fill="none" stroke="#c0392b" stroke-width="1"/>`,
    `<path d="${path(predictive)}" fill="none" stroke="#2e86c1" stroke-width="1"/>`,
    `<path d="${path(demand)}" fill="none" stroke="#333" stroke-width="0.8"/>`,
    legend,
    '</svg>',
  ].join('\n');
}

/** The SVG in a page, with the RESULT figures above it. */
export function backtestHtml(result: BacktestResult, start: number, resultLine: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Patternmesh autoscaler backtest</title></head>',
    '<body style="font-family:sans-serif">',
    '<h1>Autoscaler backtest</h1>',
    `<pre>${resultLine.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</pre>`,
    backtestSvg(result, start),
    '</body></html>',
  ].join('\n');
}
