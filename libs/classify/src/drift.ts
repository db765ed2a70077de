/**
 * Drift of a categorical output (the classifier's categories, its priorities) as the population
 * stability index (PSI) between the last window's mix and a reference mix:
 *
 *   PSI = Σ (current share − reference share) × ln(current share / reference share)
 *
 * The usual reading: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a significant one. The
 * reference is an exponentially weighted mean of the earlier windows' shares (each new window weighs
 * 1/referenceWindows), so a sudden change in what the classifier decides stands out at once, and a
 * lasting one fades as it becomes the new normal. No labels are needed: this watches the decisions,
 * which is what moves when the input population shifts or a rule stops matching.
 */
export interface DriftOptions {
  /** Length of a window, ms. */
  readonly windowMs: number;
  /** A window with fewer decisions is too small to compare: it is folded into the next one. */
  readonly minSamples?: number;
  /** How many windows the reference remembers, roughly (the weight of a new window is 1/this). */
  readonly referenceWindows?: number;
}

/** Share added to every value in both mixes, so a value absent from one side does not make PSI infinite. */
const SMOOTHING = 0.5;

export class DistributionDrift {
  private readonly windowMs: number;
  private readonly minSamples: number;
  private readonly weight: number;
  private windowStart: number | undefined;
  private counts = new Map<string, number>();
  private total = 0;
  /** Shares of the reference mix; undefined until the first full window. */
  private reference: Map<string, number> | undefined;
  private lastPsi: number | undefined;

  constructor(options: DriftOptions) {
    this.windowMs = options.windowMs;
    this.minSamples = options.minSamples ?? 200;
    this.weight = 1 / Math.max(1, options.referenceWindows ?? 12);
  }

  /**
   * One decision at `at` (epoch ms). Returns the PSI of the window it closed, when it closed one that was
   * compared with a reference; undefined otherwise.
   */
  observe(value: string, at: number): number | undefined {
    let psi: number | undefined;
    if (this.windowStart === undefined) this.windowStart = at;
    else if (at >= this.windowStart + this.windowMs) {
      psi = this.closeWindow();
      this.windowStart = at;
    }
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.total++;
    return psi;
  }

  /** PSI of the last window compared, if any. */
  get last(): number | undefined {
    return this.lastPsi;
  }

  private closeWindow(): number | undefined {
    if (this.total < this.minSamples) return undefined; // too few: keep counting into the next window
    const shares = new Map<string, number>();
    for (const [value, count] of this.counts) shares.set(value, count / this.total);
    let psi: number | undefined;
    if (!this.reference) {
      this.reference = shares;
    } else {
      psi = populationStabilityIndex(shares, this.reference, this.total);
      const blended = new Map<string, number>();
      for (const key of new Set([...shares.keys(), ...this.reference.keys()])) {
        const current = shares.get(key) ?? 0;
        const reference = this.reference.get(key) ?? 0;
        blended.set(key, reference + this.weight * (current - reference));
      }
      this.reference = blended;
      this.lastPsi = psi;
    }
    this.counts = new Map();
    this.total = 0;
    return psi;
  }
}

/**
 * PSI between two mixes (value → share, each summing to 1). Shares are smoothed over the union of values
 * (as if every value had been seen half a time more in a window of the same size), so values present on
 * one side only count fully without dividing by zero.
 */
export function populationStabilityIndex(
  current: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  sampleSize = 1000,
): number {
  const keys = new Set([...current.keys(), ...reference.keys()]);
  const extra = SMOOTHING / sampleSize;
  const norm = 1 + extra * keys.size;
  let psi = 0;
  for (const key of keys) {
    const a = ((current.get(key) ?? 0) + extra) / norm;
    const e = ((reference.get(key) ?? 0) + extra) / norm;
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}
