import { describe, expect, it } from 'vitest';
import { StageStats } from './stage-stats';

describe('StageStats', () => {
  it('reports per-second rates over the completed seconds of its window', () => {
    let now = 1_000_000;
    const stats = new StageStats('normalize', { windowSeconds: 5, now: () => now });
    for (let s = 0; s < 4; s++) {
      for (let i = 0; i < 10; i++) {
        stats.started();
        stats.succeeded();
      }
      now += 1000;
    }
    const snap = stats.snapshot();
    expect(snap.inRate).toBe(10);
    expect(snap.outRate).toBe(10);
    expect(snap.processedTotal).toBe(40);
    expect(snap.inFlight).toBe(0);
  });

  it('forgets traffic older than the window', () => {
    let now = 0;
    const stats = new StageStats('route', { windowSeconds: 3, now: () => now });
    stats.started();
    stats.failedOnce();
    now += 10_000;
    expect(stats.snapshot()).toMatchObject({ inRate: 0, failedTotal: 1 });
  });
});
