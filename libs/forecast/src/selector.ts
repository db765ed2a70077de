import type { Forecaster } from './models';

/**
 * Several forecasters side by side, each scored on what matters to the planner: its forecast `lead`
 * minutes ahead against what then happened. The selected one is the lowest mean absolute error over the
 * last `windowMinutes` (rolling-origin: every minute is a new forecast origin, scored once its target
 * minute is seen). The prediction interval comes from the selected model's recent residuals
 * (mean + z·std), so the planner can plan for the upper bound.
 */
export interface SelectorOptions {
  readonly lead: number;
  readonly windowMinutes?: number;
  /** z of the upper bound (1.645: one-sided 95 %). */
  readonly z?: number;
}

interface Track {
  readonly model: Forecaster;
  /** Forecasts for the next `lead` minutes' targets, by target minute modulo `lead`. */
  readonly pending: Float64Array;
  /** Rolling window of absolute errors and residuals. */
  readonly absErrors: Float64Array;
  readonly residuals: Float64Array;
  sumAbs: number;
  sumRes: number;
  sumRes2: number;
  scored: number;
  /** Over the whole run, for MASE. */
  totalAbs: number;
  totalScored: number;
}

export interface Selection {
  readonly model: string;
  /** Point forecast for each of the next `lead` minutes (index 0 = 1 minute ahead). */
  readonly path: number[];
  /** Upper bound of the peak over the lead time. */
  readonly upperPeak: number;
}

export class ModelSelector {
  private readonly tracks: Track[];
  private readonly window: number;
  private readonly z: number;
  private t = 0;

  constructor(
    models: readonly Forecaster[],
    private readonly options: SelectorOptions,
  ) {
    this.window = options.windowMinutes ?? 3 * 1440;
    this.z = options.z ?? 1.645;
    this.tracks = models.map((model) => ({
      model,
      pending: new Float64Array(options.lead).fill(Number.NaN),
      absErrors: new Float64Array(this.window).fill(Number.NaN),
      residuals: new Float64Array(this.window).fill(Number.NaN),
      sumAbs: 0,
      sumRes: 0,
      sumRes2: 0,
      scored: 0,
      totalAbs: 0,
      totalScored: 0,
    }));
  }

  /** The minute's value (NaN when masked: it is neither learned from nor scored). */
  observe(value: number, scored = !Number.isNaN(value)): void {
    const lead = this.options.lead;
    for (const track of this.tracks) {
      // The forecast made `lead` minutes ago for this minute; its slot then takes the one for t + lead.
      const slot = this.t % lead;
      const forecast = track.pending[slot]!;
      if (scored && !Number.isNaN(forecast)) this.score(track, value - forecast);
      track.model.observe(value);
      track.pending[slot] = track.model.forecastAt(lead) ?? Number.NaN;
    }
    this.t++;
  }

  private score(track: Track, residual: number): void {
    const w = track.totalScored % this.window;
    const oldAbs = track.absErrors[w]!;
    const oldRes = track.residuals[w]!;
    if (!Number.isNaN(oldAbs)) {
      track.sumAbs -= oldAbs;
      track.sumRes -= oldRes;
      track.sumRes2 -= oldRes * oldRes;
      track.scored--;
    }
    track.absErrors[w] = Math.abs(residual);
    track.residuals[w] = residual;
    track.sumAbs += Math.abs(residual);
    track.sumRes += residual;
    track.sumRes2 += residual * residual;
    track.scored++;
    track.totalAbs += Math.abs(residual);
    track.totalScored++;
  }

  /** The best model now, with its path and upper peak; undefined until one has been scored. */
  select(): Selection | undefined {
    let best: Track | undefined;
    for (const track of this.tracks) {
      if (track.scored === 0 || track.model.forecastAt(this.options.lead) === undefined) continue;
      if (!best || track.sumAbs / track.scored < best.sumAbs / best.scored) best = track;
    }
    if (!best) return undefined;
    const path: number[] = [];
    for (let h = 1; h <= this.options.lead; h++) path.push(best.model.forecastAt(h) ?? 0);
    const mean = best.sumRes / best.scored;
    const std = Math.sqrt(Math.max(0, best.sumRes2 / best.scored - mean * mean));
    return { model: best.model.name, path, upperPeak: Math.max(...path) + Math.max(0, mean + this.z * std) };
  }

  /** Mean absolute error of each model's `lead`-ahead forecasts over the whole run. */
  meanAbsoluteErrors(): Record<string, number> {
    return Object.fromEntries(
      this.tracks.map((t) => [t.model.name, t.totalScored ? t.totalAbs / t.totalScored : Number.NaN]),
    );
  }
}
