/**
 * Per-stage counters and rolling rates, reported by TelemetryService and read by the autoscaler.
 * Rates are over a sliding window of one-second buckets, so they react within seconds and stay cheap.
 */
export interface StageLoadSnapshot {
  readonly stage: string;
  readonly inRate: number;
  readonly outRate: number;
  readonly inFlight: number;
  readonly processedTotal: number;
  readonly failedTotal: number;
}

class RollingRate {
  private readonly buckets: number[];
  private head = 0;
  private headSecond: number;

  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number,
  ) {
    this.buckets = new Array<number>(windowSeconds).fill(0);
    this.headSecond = Math.floor(now() / 1000);
  }

  add(n = 1): void {
    this.advance();
    this.buckets[this.head]! += n;
  }

  /** Events per second over the window, the current partial second excluded. */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (let i = 1; i < this.windowSeconds; i++) {
      sum += this.buckets[(this.head - i + this.windowSeconds) % this.windowSeconds]!;
    }
    return sum / (this.windowSeconds - 1);
  }

  private advance(): void {
    const second = Math.floor(this.now() / 1000);
    const steps = Math.min(second - this.headSecond, this.windowSeconds);
    for (let i = 0; i < steps; i++) {
      this.head = (this.head + 1) % this.windowSeconds;
      this.buckets[this.head] = 0;
    }
    if (steps > 0) this.headSecond = second;
  }
}

export class StageStats {
  private readonly received: RollingRate;
  private readonly completed: RollingRate;
  private inFlight = 0;
  private processed = 0;
  private failed = 0;

  constructor(
    readonly stage: string,
    options: { windowSeconds?: number; now?: () => number } = {},
  ) {
    const now = options.now ?? Date.now;
    const window = Math.max(2, options.windowSeconds ?? 11);
    this.received = new RollingRate(window, now);
    this.completed = new RollingRate(window, now);
  }

  /** `n` messages taken in. */
  started(n = 1): void {
    this.inFlight += n;
    this.received.add(n);
  }

  /** Messages taken in earlier that finished: `ok` succeeded, `failed` failed (and will be retried or dead-lettered). */
  finished(ok: number, failed: number): void {
    this.inFlight -= ok + failed;
    this.processed += ok;
    this.failed += failed;
    if (ok > 0) this.completed.add(ok);
  }

  succeeded(): void {
    this.finished(1, 0);
  }

  failedOnce(): void {
    this.finished(0, 1);
  }

  snapshot(): StageLoadSnapshot {
    return {
      stage: this.stage,
      inRate: this.received.perSecond(),
      outRate: this.completed.perSecond(),
      inFlight: this.inFlight,
      processedTotal: this.processed,
      failedTotal: this.failed,
    };
  }
}
