import { describe, expect, it } from 'vitest';
import { type FloorInput, planFloor } from './planner';

const base: FloorInput = {
  upperPeak: 1000,
  capacityPerReplica: 100,
  headroom: 0.2,
  originalMin: 2,
  maxReplicas: 20,
  currentMin: 2,
  history: 500,
  minHistory: 100,
  dataAgeMs: 1000,
  maxDataAgeMs: 120_000,
  maxStepDown: 2,
};

describe('planFloor', () => {
  it('plans ceil(peak × (1 + headroom) / capacity) and raises the floor to it at once', () => {
    expect(planFloor(base)).toEqual({ floor: 12, reason: 'forecast', wanted: 12 });
    expect(planFloor({ ...base, upperPeak: 1001 }).floor).toBe(13);
  });

  it('never goes below the original floor or above maxReplicas', () => {
    expect(planFloor({ ...base, upperPeak: 10 })).toMatchObject({ floor: 2, wanted: 2 });
    expect(planFloor({ ...base, upperPeak: 1e9 })).toMatchObject({ floor: 20, wanted: 20 });
  });

  it('lowers the floor by at most maxStepDown per round, saying so', () => {
    const high = { ...base, currentMin: 12, upperPeak: 100 };
    expect(planFloor(high)).toEqual({ floor: 10, reason: 'stepping-down', wanted: 2 });
    expect(planFloor({ ...high, currentMin: 10 }).floor).toBe(8);
    expect(planFloor({ ...high, currentMin: 3 })).toEqual({ floor: 2, reason: 'forecast', wanted: 2 });
  });

  it('falls back to the original floor, gradually, without enough history, with stale data or no forecast', () => {
    expect(planFloor({ ...base, history: 10 })).toEqual({ floor: 2, reason: 'insufficient-history' });
    expect(planFloor({ ...base, dataAgeMs: 600_000 })).toEqual({ floor: 2, reason: 'stale-data' });
    expect(planFloor({ ...base, upperPeak: undefined })).toEqual({ floor: 2, reason: 'no-forecast' });
    expect(planFloor({ ...base, upperPeak: Number.NaN }).reason).toBe('no-forecast');
    // A raised floor is not dropped in one go when the data goes stale.
    expect(planFloor({ ...base, currentMin: 9, dataAgeMs: 600_000 })).toEqual({
      floor: 7,
      reason: 'stepping-down',
    });
  });

  it('refuses to divide by a capacity that is not positive', () => {
    expect(planFloor({ ...base, capacityPerReplica: 0 })).toEqual({ floor: 2, reason: 'invalid-capacity' });
  });
});
