/**
 * Exponential back-off with jitter for reconnects: 100 ms doubling to a cap (Go and Java use similar
 * defaults), plus up to 20 % random jitter so that many producers and consumers dropped by one broker
 * restart do not reconnect in lock-step.
 */
export class Backoff {
  private current: number;

  constructor(
    private readonly initialMs = 100,
    private readonly maxMs = 30_000,
    private readonly jitter = 0.2,
  ) {
    this.current = initialMs;
  }

  /** Delay before the next attempt; doubles the following one. */
  next(): number {
    const base = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return Math.round(base * (1 + Math.random() * this.jitter));
  }

  /** Call after a successful (re)connection. */
  reset(): void {
    this.current = this.initialMs;
  }
}

/** Resolves after `ms` (unref'd so a pending back-off never keeps the process alive). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
