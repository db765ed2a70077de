import { describe, expect, it } from 'vitest';
import { HpaSimulation } from './hpa-sim';

const options = { capacity: 100, target: 0.7, minReplicas: 1, maxReplicas: 50, startupMinutes: 2 };

describe('HpaSimulation', () => {
  it('settles steady demand at ceil(demand / (capacity × target)) ready replicas', () => {
    const hpa = new HpaSimulation(options);
    let last = { ready: 0, replicas: 0 };
    for (let m = 0; m < 30; m++) last = hpa.minute(700);
    // 700 / (100 × 0.7) = 10, within the 10 % tolerance of what it runs.
    expect(last.ready).toBeGreaterThanOrEqual(10);
    expect(last.ready).toBeLessThanOrEqual(11);
  });

  it('is short of capacity while new pods start, and a raised floor fixes that ahead of time', () => {
    const reactive = new HpaSimulation(options);
    const predictive = new HpaSimulation(options);
    for (let m = 0; m < 10; m++) {
      reactive.minute(50);
      predictive.minute(50, m >= 5 ? 12 : 1);
    }
    // The surge arrives at minute 10; the floor was raised 5 minutes before.
    const r = reactive.minute(800);
    const p = predictive.minute(800, 12);
    expect(r.ready * options.capacity).toBeLessThan(800);
    expect(p.ready * options.capacity).toBeGreaterThanOrEqual(800);
  });

  it('holds replicas for the 300 s stabilization window after demand falls', () => {
    const hpa = new HpaSimulation(options);
    for (let m = 0; m < 20; m++) hpa.minute(700);
    const high = hpa.minute(700).replicas;
    const after = [1, 2, 3, 4].map(() => hpa.minute(70).replicas);
    expect(after.every((r) => r === high)).toBe(true);
    for (let m = 0; m < 10; m++) hpa.minute(70);
    expect(hpa.minute(70).replicas).toBeLessThan(high);
  });
});
