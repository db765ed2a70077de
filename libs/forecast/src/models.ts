import { HoltForecaster } from './holt';

/**
 * Online forecasters over a per-minute series. Each sees one value per minute (NaN for a masked or
 * missing minute: it coasts without learning) and forecasts `h` minutes ahead in O(1). The selector
 * (`selector.ts`) runs several side by side and picks one by its recent error.
 */
export interface Forecaster {
  readonly name: string;
  observe(value: number): void;
  /** The value expected `h` minutes after the last observed one; undefined until it has enough history. */
  forecastAt(h: number): number | undefined;
}

/** Tomorrow looks like today: the value one period before the forecast minute. */
export class SeasonalNaive implements Forecaster {
  readonly name: string;
  private readonly buffer: Float64Array;
  private t = 0;

  constructor(private readonly period: number) {
    this.name = `seasonal-naive(${period})`;
    this.buffer = new Float64Array(period).fill(Number.NaN);
  }

  observe(value: number): void {
    const slot = this.t % this.period;
    // A masked minute keeps last period's value: the best guess of what it would have been.
    if (!Number.isNaN(value)) this.buffer[slot] = value;
    this.t++;
  }

  forecastAt(h: number): number | undefined {
    if (this.t < this.period || h > this.period) return undefined;
    const v = this.buffer[(this.t - 1 + h) % this.period]!;
    return Number.isNaN(v) ? undefined : v;
  }
}

/** Holt's linear trend (level + trend), no season: follows ramps. A gap leaves it where it was. */
export class HoltLinear extends HoltForecaster implements Forecaster {
  readonly name = 'holt';

  constructor(alpha = 0.3, beta = 0.05) {
    super(alpha, beta);
  }

  forecastAt(h: number): number | undefined {
    return this.forecast(h);
  }
}

/**
 * Holt-Winters with a season of `period` minutes, additive (season added to the level) or multiplicative
 * (season scales it: the right form when the daily swing grows with the volume). It starts after one
 * full season, with the season's mean as level and each minute's deviation (or ratio) as its index.
 */
export class HoltWinters implements Forecaster {
  readonly name: string;
  private readonly season: Float64Array;
  private readonly warmup: number[] = [];
  private level = 0;
  private trend = 0;
  private t = 0;
  private ready = false;
  /** Highest value seen: a multiplicative season over a near-zero level can explode, and no forecast
   * beyond twice what was ever observed is believable. */
  private peak = 0;

  constructor(
    private readonly period: number,
    private readonly kind: 'additive' | 'multiplicative',
    private readonly alpha = 0.1,
    private readonly beta = 0.005,
    private readonly gamma = 0.2,
  ) {
    this.name = `holt-winters-${kind === 'additive' ? 'add' : 'mul'}(${period})`;
    this.season = new Float64Array(period);
  }

  private static readonly EPSILON = 1e-6;

  observe(value: number): void {
    const slot = this.t % this.period;
    this.t++;
    if (value > this.peak) this.peak = value;
    if (!this.ready) {
      this.warmup.push(Number.isNaN(value) ? Number.NaN : value);
      if (this.warmup.length === this.period) this.initialise();
      return;
    }
    if (Number.isNaN(value)) {
      this.level = Math.max(0, this.level + this.trend);
      return;
    }
    const s = this.season[slot]!;
    const previous = this.level;
    if (this.kind === 'additive') {
      this.level = this.alpha * (value - s) + (1 - this.alpha) * (previous + this.trend);
      this.season[slot] = this.gamma * (value - this.level) + (1 - this.gamma) * s;
    } else {
      this.level =
        this.alpha * (value / Math.max(s, HoltWinters.EPSILON)) + (1 - this.alpha) * (previous + this.trend);
      this.season[slot] =
        this.gamma * (value / Math.max(this.level, HoltWinters.EPSILON)) + (1 - this.gamma) * s;
    }
    this.trend = this.beta * (this.level - previous) + (1 - this.beta) * this.trend;
  }

  private initialise(): void {
    const known = this.warmup.filter((v) => !Number.isNaN(v));
    const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    this.level = mean;
    for (let i = 0; i < this.period; i++) {
      const v = this.warmup[i]!;
      const x = Number.isNaN(v) ? mean : v;
      this.season[i] =
        this.kind === 'additive' ? x - mean : mean > 0 ? Math.min(20, Math.max(0.05, x / mean)) : 1;
    }
    this.warmup.length = 0;
    this.ready = true;
  }

  forecastAt(h: number): number | undefined {
    if (!this.ready) return undefined;
    const s = this.season[(this.t - 1 + h) % this.period]!;
    const base = this.level + h * this.trend;
    return Math.min(2 * this.peak, Math.max(0, this.kind === 'additive' ? base + s : base * s));
  }
}

/** A least-squares line through the last `window` minutes, extended: the recent trend alone. */
export class LinearTrend implements Forecaster {
  readonly name: string;
  private readonly ys: Float64Array;
  private count = 0;
  private t = 0;

  constructor(private readonly window = 60) {
    this.name = `linear(${window})`;
    this.ys = new Float64Array(window).fill(Number.NaN);
  }

  observe(value: number): void {
    this.ys[this.t % this.window] = value;
    this.t++;
    this.count = Math.min(this.window, this.count + 1);
  }

  forecastAt(h: number): number | undefined {
    if (this.count < this.window) return undefined;
    // x = 0 … window-1 for the oldest … newest minute.
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let k = 0; k < this.window; k++) {
      const y = this.ys[(this.t + k) % this.window]!;
      if (Number.isNaN(y)) continue;
      n++;
      sx += k;
      sy += y;
      sxx += k * k;
      sxy += k * y;
    }
    if (n < 2) return undefined;
    const slope = (n * sxy - sx * sy) / Math.max(n * sxx - sx * sx, 1e-9);
    const intercept = (sy - slope * sx) / n;
    return Math.max(0, intercept + slope * (this.window - 1 + h));
  }
}

/**
 * The models a selection weighs: Holt's trend, a linear trend over `linearWindow` steps, and for each
 * season (in steps, duplicates dropped) the seasonal naive and both Holt-Winters forms. The backtest and
 * the running autoscaler both choose among these, so what the backtest measures is what runs.
 */
export function candidateModels(seasons: readonly number[], linearWindow = 60): Forecaster[] {
  return [
    new HoltLinear(),
    new LinearTrend(linearWindow),
    ...[...new Set(seasons)].flatMap((p) => [
      new SeasonalNaive(p),
      new HoltWinters(p, 'additive'),
      new HoltWinters(p, 'multiplicative'),
    ]),
  ];
}
