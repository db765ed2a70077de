import { describe, expect, it } from 'vitest';
import { DeliveryGate } from './delivery-gate';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('DeliveryGate', () => {
  it('runs one key at a time, in arrival order, while other keys run in parallel', async () => {
    const log: string[] = [];
    const release = new Map<string, () => void>();
    const gate = new DeliveryGate<string>(10, true, 1, (batch) =>
      batch.map((item) => {
        log.push(`start ${item}`);
        return new Promise<void>((resolve) => release.set(item, resolve));
      }),
    );
    for (const [item, key] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
    ] as const)
      gate.admit(item, key);
    expect(log).toEqual(['start a1', 'start b1']);
    release.get('a1')!();
    await tick();
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
    release.get('b1')!();
    release.get('a2')!();
    await gate.idle();
    expect(gate.size).toBe(0);
  });

  it('counts waiting messages against the limit', async () => {
    const release: Array<() => void> = [];
    const gate = new DeliveryGate<number>(2, true, 1, (batch) =>
      batch.map(() => new Promise<void>((r) => release.push(r))),
    );
    gate.admit(1, 'k');
    gate.admit(2, 'k');
    let roomy = false;
    void gate.room().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    release.shift()!();
    await tick();
    expect(roomy).toBe(true);
  });

  it('hands over what arrived together as batches of at most maxBatchSize, never two of one key', async () => {
    const batches: string[][] = [];
    const release = new Map<string, () => void>();
    const gate = new DeliveryGate<string>(100, true, 3, (batch) => {
      batches.push([...batch]);
      return batch.map((item) => new Promise<void>((resolve) => release.set(item, resolve)));
    });
    for (const [item, key] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
      ['c1', 'c'],
      ['d1', 'd'],
      ['e1', 'e'],
    ] as const)
      gate.admit(item, key);
    await tick();
    expect(batches).toEqual([
      ['a1', 'b1', 'c1'],
      ['d1', 'e1'],
    ]);
    // A key's next message follows once its previous one finished, in the next batch.
    release.get('a1')!();
    await tick();
    await tick();
    expect(batches[2]).toEqual(['a2']);
    for (const r of release.values()) r();
    await gate.idle();
  });
});
