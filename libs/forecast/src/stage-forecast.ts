import { HoltLinear, HoltWinters, LinearTrend, SeasonalNaive, type Forecaster } from './models';
import { ModelSelector } from './selector';

/**
 * A stage's forecast as the running autoscaler keeps it: load samples (events/s, at any interval) are
 * averaged into steps of `stepMs` (a minute by default, as the backtest runs), each step goes to the
 * same model selection the backtest uses, and the planner gets the upper bound of the peak over the
 * lead time. Seasonal models run when a day is a manageable number of steps.
 */
export interface StageForecastOptions {
  readonly stepMs?: number;
  /** Pod start-up + readiness, ms: the horizon the floor is planned for. */
  readonly leadMs?: number;
}

const DAY_MS = 86_400_000;
/** Largest season, in steps, worth a ring buffer per model (a week of minutes). */
const MAX_SEASON_STEPS = 10_080;

export class StageForecast {
  private readonly stepMs: number;
  private readonly selector: ModelSelector;
  private stepStart: number | undefined;
  private sum = 0;
  private count = 0;
  private steps = 0;
  private lastSampleAt: number | undefined;

  constructor(options: StageForecastOptions = {}) {
    this.stepMs = options.stepMs ?? 60_000;
    const lead = Math.max(1, Math.ceil((options.leadMs ?? 300_000) / this.stepMs));
    const daySteps = Math.round(DAY_MS / this.stepMs);
    const models: Forecaster[] = [
      new HoltLinear(),
      new LinearTrend(Math.max(lead + 2, Math.round(3_600_000 / this.stepMs))),
    ];
    if (daySteps <= MAX_SEASON_STEPS) {
      models.push(
        new SeasonalNaive(daySteps),
        new HoltWinters(daySteps, 'additive'),
        new HoltWinters(daySteps, 'multiplicative'),
      );
    }
    this.selector = new ModelSelector(models, {
      lead,
      windowMinutes: Math.max(10, Math.round((3 * DAY_MS) / this.stepMs)),
    });
  }

  /** A load sample at `at` (epoch ms). A step closes when a sample falls past its end. */
  add(rate: number, at: number): void {
    if (!Number.isFinite(rate)) return;
    this.stepStart ??= at;
    while (at >= this.stepStart + this.stepMs) {
      // A step without samples (the autoscaler was paused) is a gap: NaN, not learned from.
      this.selector.observe(this.count ? this.sum / this.count : Number.NaN);
      this.steps++;
      this.stepStart += this.stepMs;
      this.sum = 0;
      this.count = 0;
    }
    this.sum += rate;
    this.count++;
    this.lastSampleAt = at;
  }

  /** Steps the forecast rests on. */
  get history(): number {
    return this.steps;
  }

  /** Age of the newest sample at `now`. */
  dataAgeMs(now: number): number {
    return this.lastSampleAt === undefined ? Number.POSITIVE_INFINITY : now - this.lastSampleAt;
  }

  /** Upper bound of the peak over the lead time, events/s, and the model that gave it. */
  upperPeak(): { value: number; model: string } | undefined {
    const selection = this.selector.select();
    return selection ? { value: selection.upperPeak, model: selection.model } : undefined;
  }
}
