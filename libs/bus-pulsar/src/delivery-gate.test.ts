import { describe, expect, it } from 'vitest';
import { DeliveryGate } from './delivery-gate';

describe('DeliveryGate', () => {
  it('runs one key at a time, in arrival order, while other keys run in parallel', async () => {
    const log: string[] = [];
    const release = new Map<string, () => void>();
    const gate = new DeliveryGate<string>(10, true, (item) => {
      log.push(`start ${item}`);
      return new Promise<void>((resolve) => release.set(item, resolve));
    });
    for (const [item, key] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
    ] as const)
      gate.admit(item, key);
    expect(log).toEqual(['start a1', 'start b1']);
    release.get('a1')!();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
    release.get('b1')!();
    release.get('a2')!();
    await gate.idle();
    expect(gate.size).toBe(0);
  });

  it('counts waiting messages against the limit', async () => {
    const release: Array<() => void> = [];
    const gate = new DeliveryGate<number>(2, true, () => new Promise<void>((r) => release.push(r)));
    gate.admit(1, 'k');
    gate.admit(2, 'k');
    let roomy = false;
    void gate.room().then(() => (roomy = true));
    await new Promise((r) => setImmediate(r));
    expect(roomy).toBe(false);
    release.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(roomy).toBe(true);
  });
});
