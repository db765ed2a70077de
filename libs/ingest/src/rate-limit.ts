import { PatternmeshError } from '@patternmesh/errors';

/**
 * Per-tenant token buckets: each tenant may publish `ratePerSecond` patterns per second on average,
 * with bursts up to `burst`. One noisy tenant is slowed with 429 / RESOURCE_EXHAUSTED and a
 * retry-after hint instead of slowing everyone. Idle tenants' buckets are dropped, so memory follows
 * the number of active tenants.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number = Math.max(1, ratePerSecond * 2),
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ratePerSecond > 0;
  }

  /** Takes one token for `tenant`, or throws RATE_LIMITED saying when one will be available. */
  take(tenant: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const bucket = this.buckets.get(tenant) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(tenant, bucket);
      const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond));
      throw new PatternmeshError('RATE_LIMITED', {
        message: `Tenant ${tenant} is over its limit of ${this.ratePerSecond} patterns/s; retry in ${waitSeconds} s.`,
        retryAfterSeconds: waitSeconds,
      });
    }
    bucket.tokens -= 1;
    this.buckets.set(tenant, bucket);
    if (this.buckets.size > 10_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    const full = (this.burst / this.ratePerSecond) * 1000;
    for (const [tenant, bucket] of this.buckets) if (now - bucket.at > full) this.buckets.delete(tenant);
  }
}
