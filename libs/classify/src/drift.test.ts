import { describe, expect, it } from 'vitest';
import { DistributionDrift, populationStabilityIndex } from './drift';

const mix = (entries: Record<string, number>) => {
  const total = Object.values(entries).reduce((a, b) => a + b, 0);
  return new Map(Object.entries(entries).map(([k, v]) => [k, v / total]));
};

/** Feeds `counts` decisions spread evenly over one window starting at `start`. */
function feed(drift: DistributionDrift, start: number, windowMs: number, counts: Record<string, number>) {
  const values = Object.entries(counts).flatMap(([value, n]) => Array<string>(n).fill(value));
  const results: number[] = [];
  values.forEach((value, i) => {
    const psi = drift.observe(value, start + Math.floor((i * windowMs) / values.length));
    if (psi !== undefined) results.push(psi);
  });
  return results;
}

describe('populationStabilityIndex', () => {
  it('is zero for the same mix and grows with the shift', () => {
    const base = mix({ fraud: 30, intrusion: 50, other: 20 });
    expect(populationStabilityIndex(base, base)).toBeCloseTo(0, 12);
    const small = populationStabilityIndex(mix({ fraud: 32, intrusion: 48, other: 20 }), base);
    const large = populationStabilityIndex(mix({ fraud: 70, intrusion: 10, other: 20 }), base);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.1);
    expect(large).toBeGreaterThan(0.25);
  });

  it('stays finite when a value appears on one side only', () => {
    const psi = populationStabilityIndex(mix({ fraud: 50, malware: 50 }), mix({ fraud: 100 }));
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeGreaterThan(0.25);
  });

  it('calls the NSL-KDD train → test shift significant (its attack classes, as counted in the data set)', () => {
    // Class counts of KDDTrain+_20Percent and KDDTest+ (Tavallaee et al. 2009): R2L rises from 0.8 % to 12.8 %.
    const train = mix({ normal: 13_449, dos: 9_234, probe: 2_289, r2l: 209, u2r: 11 });
    const test = mix({ normal: 9_711, dos: 7_460, probe: 2_421, r2l: 2_885, u2r: 67 });
    expect(populationStabilityIndex(test, train, 22_544)).toBeGreaterThan(0.25);
  });
});

describe('DistributionDrift', () => {
  const windowMs = 60_000;

  it('reports nothing until it has a reference, then a small PSI while the mix holds', () => {
    const drift = new DistributionDrift({ windowMs, minSamples: 100 });
    const steady = { fraud: 300, intrusion: 500, other: 200 };
    expect(feed(drift, 0, windowMs, steady)).toEqual([]); // the first window becomes the reference
    expect(drift.last).toBeUndefined();
    feed(drift, windowMs, windowMs, steady);
    const [psi] = feed(drift, 2 * windowMs, windowMs, steady);
    expect(psi).toBeLessThan(0.01);
  });

  it('flags a sudden shift at once, and lets a lasting one become the new normal', () => {
    const drift = new DistributionDrift({ windowMs, minSamples: 100, referenceWindows: 3 });
    const before = { fraud: 100, intrusion: 800, other: 100 };
    const after = { fraud: 700, intrusion: 200, other: 100 };
    let t = 0;
    for (let w = 0; w < 3; w++, t += windowMs) feed(drift, t, windowMs, before);
    feed(drift, t, windowMs, after); // closes the last 'before' window
    t += windowMs;
    const psis: number[] = [];
    for (let w = 0; w < 12; w++, t += windowMs) psis.push(...feed(drift, t, windowMs, after));
    expect(psis[0]).toBeGreaterThan(0.25);
    expect(psis.at(-1)!).toBeLessThan(0.1);
    expect(psis.at(-1)!).toBeLessThan(psis[0]!);
  });

  it('folds a window with too few decisions into the next one instead of comparing noise', () => {
    const drift = new DistributionDrift({ windowMs, minSamples: 500 });
    expect(feed(drift, 0, windowMs, { fraud: 10 })).toEqual([]);
    expect(feed(drift, windowMs, windowMs, { intrusion: 10 })).toEqual([]);
    expect(drift.last).toBeUndefined();
  });
});
