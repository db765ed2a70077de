/**
 * The dominant period of a per-minute series, by autocorrelation: the series is averaged into
 * `bucketMinutes` buckets (masked minutes left out), and the lag with the highest autocorrelation among
 * the candidates (a day and a week by default, or any others given) wins if it is above `minCorrelation`.
 * A series with a period P also correlates at every multiple of P, so a longer candidate wins only by a
 * margin (0.05): a purely daily series is daily, a week with distinct weekends is weekly.
 */
export interface PeriodOptions {
  readonly candidatesMinutes?: readonly number[];
  readonly bucketMinutes?: number;
  readonly minCorrelation?: number;
}

export interface DetectedPeriod {
  readonly periodMinutes: number | undefined;
  /** Autocorrelation at each candidate lag that the series is long enough for (two periods). */
  readonly correlations: Record<number, number>;
}

export function detectPeriod(
  values: ArrayLike<number>,
  masked: ArrayLike<number>,
  options: PeriodOptions = {},
): DetectedPeriod {
  const bucket = options.bucketMinutes ?? 10;
  const candidates = options.candidatesMinutes ?? [1440, 10080];
  const buckets: number[] = [];
  for (let i = 0; i + bucket <= values.length; i += bucket) {
    let sum = 0;
    let n = 0;
    for (let j = i; j < i + bucket; j++) {
      if (masked[j]) continue;
      sum += values[j]!;
      n++;
    }
    buckets.push(n ? sum / n : Number.NaN);
  }
  const known = buckets.filter((v) => !Number.isNaN(v));
  const mean = known.reduce((a, b) => a + b, 0) / Math.max(1, known.length);
  const variance = known.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, known.length);
  const correlations: Record<number, number> = {};
  let best: number | undefined;
  for (const period of candidates) {
    const lag = Math.round(period / bucket);
    if (lag <= 0 || buckets.length < 2 * lag || variance === 0) continue;
    let sum = 0;
    let n = 0;
    for (let i = lag; i < buckets.length; i++) {
      const a = buckets[i]!;
      const b = buckets[i - lag]!;
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      sum += (a - mean) * (b - mean);
      n++;
    }
    const r = n ? sum / n / variance : 0;
    correlations[period] = r;
  }
  const margin = 0.05;
  for (const period of [...candidates].sort((a, b) => a - b)) {
    const r = correlations[period];
    if (r === undefined || r < (options.minCorrelation ?? 0.3)) continue;
    if (best === undefined || r > correlations[best]! + margin) best = period;
  }
  return { periodMinutes: best, correlations };
}
