/**
 * Holt's linear (double exponential) smoothing: a level and a trend, updated per observation.
 * Cheap, needs no history window, and follows ramps, which is what matters a few minutes ahead of a
 * surge. Seasonal models come later; this is the baseline they must beat.
 */
export class HoltForecaster {
  private level: number | undefined;
  private trend = 0;
  private count = 0;

  constructor(
    private readonly alpha = 0.5,
    private readonly beta = 0.3,
  ) {
    if (!(alpha > 0 && alpha <= 1 && beta >= 0 && beta <= 1))
      throw new RangeError('alpha must be in (0,1], beta in [0,1]');
  }

  get observations(): number {
    return this.count;
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    this.count++;
    if (this.level === undefined) {
      this.level = value;
      return;
    }
    const previous = this.level;
    this.level = this.alpha * value + (1 - this.alpha) * (previous + this.trend);
    this.trend = this.beta * (this.level - previous) + (1 - this.beta) * this.trend;
  }

  /** Expected value `steps` observations ahead, never below zero (rates cannot be negative). */
  forecast(steps = 1): number | undefined {
    if (this.level === undefined) return undefined;
    return Math.max(0, this.level + steps * this.trend);
  }
}
