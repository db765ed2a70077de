import { isPatternmeshError } from '@patternmesh/errors';
import { describe, expect, it } from 'vitest';
import { TenantRateLimiter } from './rate-limit';

describe('TenantRateLimiter', () => {
  it('allows a burst, then refuses with a retry-after hint, then refills over time', () => {
    let now = 0;
    const limiter = new TenantRateLimiter(2, 3, () => now);
    for (let i = 0; i < 3; i++) limiter.take('acme');
    let refused: unknown;
    try {
      limiter.take('acme');
    } catch (e) {
      refused = e;
    }
    expect(isPatternmeshError(refused) && refused.code).toBe('RATE_LIMITED');
    expect(isPatternmeshError(refused) && refused.retryAfterSeconds).toBe(1);
    now += 500; // half a second at 2/s refills one token
    expect(() => limiter.take('acme')).not.toThrow();
  });

  it('keeps tenants apart', () => {
    const limiter = new TenantRateLimiter(1, 1, () => 0);
    limiter.take('acme');
    expect(() => limiter.take('acme')).toThrow();
    expect(() => limiter.take('globex')).not.toThrow();
  });

  it('is off at rate 0', () => {
    const limiter = new TenantRateLimiter(0);
    for (let i = 0; i < 1000; i++) limiter.take('acme');
    expect(limiter.enabled).toBe(false);
  });
});
