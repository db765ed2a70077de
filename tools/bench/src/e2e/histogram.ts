/**
 * A log-bucket latency histogram (HDR-style): constant memory and O(1) recording however many
 * samples arrive, percentiles within ~1 % relative error. Bucket i covers [g^i, g^(i+1)) with
 * g = 1.02, and a percentile reports its bucket's midpoint, so the error is at most ±1 %.
 * Values below `MIN_MS` share the first bucket (sub-microsecond differences do not matter here).
 */
const GROWTH = 1.02;
const MIN_MS = 0.001;
const LOG_GROWTH = Math.log(GROWTH);

export class LatencyHistogram {
  #counts = new Float64Array(0);
  #total = 0;
  #max = 0;

  get count(): number {
    return this.#total;
  }

  get max(): number {
    return this.#max;
  }

  record(ms: number): void {
    const value = Math.max(ms, MIN_MS);
    const bucket = Math.floor(Math.log(value / MIN_MS) / LOG_GROWTH);
    if (bucket >= this.#counts.length) {
      const grown = new Float64Array(Math.max(bucket + 1, this.#counts.length * 2));
      grown.set(this.#counts);
      this.#counts = grown;
    }
    this.#counts[bucket]! += 1;
    this.#total += 1;
    if (ms > this.#max) this.#max = ms;
  }

  /** Adds another histogram's samples (e.g. every lane into the overall one). */
  merge(other: LatencyHistogram): void {
    const theirs = other.#counts;
    if (theirs.length > this.#counts.length) {
      const grown = new Float64Array(theirs.length);
      grown.set(this.#counts);
      this.#counts = grown;
    }
    for (let i = 0; i < theirs.length; i++) this.#counts[i]! += theirs[i]!;
    this.#total += other.#total;
    this.#max = Math.max(this.#max, other.#max);
  }

  /** Nearest-rank percentile (p in (0, 100]); NaN without samples. */
  percentile(p: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#total));
    // The top rank is the largest sample, which is known exactly.
    if (rank >= this.#total) return this.#max;
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, MIN_MS * GROWTH ** i * ((1 + GROWTH) / 2));
    }
    return this.#max;
  }

  /** The plain form for sending over IPC. */
  toJSON(): { counts: number[]; max: number } {
    return { counts: Array.from(this.#counts), max: this.#max };
  }

  static fromJSON(data: { counts: number[]; max: number }): LatencyHistogram {
    const h = new LatencyHistogram();
    h.#counts = Float64Array.from(data.counts);
    h.#total = data.counts.reduce((a, b) => a + b, 0);
    h.#max = data.max;
    return h;
  }
}
