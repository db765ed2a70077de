import { candidateModels } from './models';
import { ModelSelector } from './selector';

/**
 * A stage's forecast as the running autoscaler keeps it: load samples (events/s, at any interval) are
 * averaged into steps of `stepMs` (a minute by default, as the backtest runs), each step goes to the
 * same model selection the backtest uses — trends, and daily and weekly seasons where a season is a
 * manageable number of steps — and the planner gets the upper bound of the peak over the lead time.
 * A seasonal model takes part once it has seen a whole season, so a restored history (`restore`) is
 * what lets the weekly ones act soon after a restart.
 */
export interface StageForecastOptions {
  readonly stepMs?: number;
  /** Pod start-up + readiness, ms: the horizon the floor is planned for. */
  readonly leadMs?: number;
  /** Told about every closed step (its start, epoch ms, and mean; NaN for a gap): where history is kept. */
  readonly onStep?: (start: number, value: number) => void;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Largest season, in steps, worth a ring buffer per model (a week of minutes). */
const MAX_SEASON_STEPS = 10_080;

export class StageForecast {
  readonly stepMs: number;
  private readonly selector: ModelSelector;
  private readonly onStep: StageForecastOptions['onStep'];
  private stepStart: number | undefined;
  private sum = 0;
  private count = 0;
  private observedSteps = 0;
  private lastSampleAt: number | undefined;

  constructor(options: StageForecastOptions = {}) {
    this.stepMs = options.stepMs ?? 60_000;
    this.onStep = options.onStep;
    const lead = Math.max(1, Math.ceil((options.leadMs ?? 300_000) / this.stepMs));
    const seasons = [DAY_MS, WEEK_MS]
      .map((ms) => Math.round(ms / this.stepMs))
      .filter((steps) => steps <= MAX_SEASON_STEPS);
    const linearWindow = Math.max(lead + 2, Math.round(3_600_000 / this.stepMs));
    this.selector = new ModelSelector(candidateModels(seasons, linearWindow), {
      lead,
      windowMinutes: Math.max(10, Math.round((3 * DAY_MS) / this.stepMs)),
    });
  }

  /**
   * Steps recorded before this process started (oldest first, NaN for gaps), the first beginning at
   * `start`: learned from as if they had been observed live. Only before the first live sample; the
   * steps between the last restored one and the first sample become gaps.
   */
  restore(start: number, values: ArrayLike<number>): void {
    if (this.stepStart !== undefined) throw new Error('restore() must come before the first sample');
    for (let i = 0; i < values.length; i++) this.closeStep(values[i]!, false);
    this.stepStart = start + values.length * this.stepMs;
  }

  /** A load sample at `at` (epoch ms). A step closes when a sample falls past its end. */
  add(rate: number, at: number): void {
    if (!Number.isFinite(rate)) return;
    if (this.stepStart === undefined) this.stepStart = at;
    else if (at < this.stepStart) return; // older than the open step (a restored history ran ahead)
    while (at >= this.stepStart + this.stepMs) {
      // A step without samples (the autoscaler was paused) is a gap: NaN, not learned from.
      const value = this.count ? this.sum / this.count : Number.NaN;
      const start = this.stepStart;
      this.stepStart += this.stepMs;
      this.sum = 0;
      this.count = 0;
      this.closeStep(value, true, start);
    }
    this.sum += rate;
    this.count++;
    this.lastSampleAt = at;
  }

  private closeStep(value: number, live: boolean, start = 0): void {
    this.selector.observe(value);
    if (!Number.isNaN(value)) this.observedSteps++;
    if (live) this.onStep?.(start, value);
  }

  /** Steps with data the forecast rests on (gaps not counted). */
  get history(): number {
    return this.observedSteps;
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
