import { describe, expect, it } from 'vitest';
import { CapacityEstimate } from './capacity';

describe('CapacityEstimate', () => {
  it('keeps the configured default while the stage keeps up (no backlog), whatever it processes', () => {
    const c = new CapacityEstimate({ defaultPerReplica: 500 });
    for (let i = 0; i < 50; i++) c.observe({ outRate: 120, readyReplicas: 2, backlog: 0 });
    expect(c.perReplica()).toEqual({ value: 500, source: 'default', samples: 0 });
  });

  it('learns output per ready replica from saturated moments, after enough of them', () => {
    const c = new CapacityEstimate({ defaultPerReplica: 500, minSamples: 3 });
    let backlog = 0;
    for (let i = 0; i < 3; i++) {
      backlog += 5000;
      c.observe({ outRate: 2400, readyReplicas: 8, backlog });
      if (i < 2) expect(c.perReplica().source).toBe('default');
    }
    expect(c.perReplica()).toMatchObject({ value: 300, source: 'learned', samples: 3 });
    // A steady high backlog still counts as saturated; the average moves towards the new figure.
    c.observe({ outRate: 3200, readyReplicas: 8, backlog });
    expect(c.perReplica().value).toBeCloseTo(0.2 * 400 + 0.8 * 300, 6);
  });

  it('ignores samples without ready replicas or output, and refuses a default that is not positive', () => {
    const c = new CapacityEstimate({ defaultPerReplica: 100, minSamples: 1 });
    c.observe({ outRate: 0, readyReplicas: 3, backlog: 10_000 });
    c.observe({ outRate: 500, readyReplicas: 0, backlog: 20_000 });
    expect(c.perReplica().source).toBe('default');
    expect(() => new CapacityEstimate({ defaultPerReplica: 0 })).toThrow(RangeError);
  });
});
