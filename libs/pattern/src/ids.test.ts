import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, isUuidV7, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('produces RFC 9562 version-7 ids carrying the timestamp', () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const id = uuidv7(now);
    expect(isUuidV7(id)).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('is monotonic within one millisecond, so ids sort by creation order', () => {
    const now = Date.now();
    const ids = Array.from({ length: 500 }, () => uuidv7(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays monotonic past 4096 ids in one millisecond and when the clock steps back', () => {
    const now = Date.now() + 10_000;
    const ids = [
      ...Array.from({ length: 10_000 }, () => uuidv7(now)),
      uuidv7(now - 5_000),
      uuidv7(now - 5_000),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

/** A small seeded PRNG, so a failing property run can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('createUuidV7Generator', () => {
  it('property: over random clocks (repeats, steps forward, steps back) every id is valid and strictly greater', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rand = mulberry32(seed);
      const next = createUuidV7Generator();
      let clock = Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e9);
      let previous = '';
      for (let i = 0; i < 3_000; i++) {
        const step = rand();
        // Mostly the same millisecond (bursts), sometimes forward, sometimes back by up to 2 s (NTP).
        if (step > 0.9) clock += 1 + Math.floor(rand() * 50);
        else if (step > 0.85) clock -= Math.floor(rand() * 2_000);
        const id = next(clock);
        expect(isUuidV7(id), `seed ${seed}: ${id}`).toBe(true);
        expect(id > previous, `seed ${seed}, id ${i}: ${id} after ${previous}`).toBe(true);
        previous = id;
      }
    }
  });

  it('property: within one millisecond ids are strictly increasing, even past the 12-bit counter', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const next = createUuidV7Generator();
      const now = Date.UTC(2026, 5, 1) + seed;
      const ids = Array.from({ length: 5_000 + seed * 100 }, () => next(now));
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      // The timestamp only moves forward when the counter ran out (borrowed milliseconds).
      expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
    }
  });

  it('fetches random bytes in bulk, not once per id', () => {
    let calls = 0;
    const next = createUuidV7Generator({
      random: (target) => {
        calls++;
        for (let i = 0; i < target.length; i++) target[i] = (i * 31 + calls) & 0xff;
      },
      poolBytes: 16 * 1024,
    });
    const now = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 1_000; i++) next(now + i); // a new millisecond each time: 10 bytes per id
    expect(calls).toBe(1);
  });

  it('puts the random bits it was given into rand_b, with the RFC variant', () => {
    const next = createUuidV7Generator({ random: (target) => target.fill(0xff) });
    const id = next(Date.UTC(2026, 0, 1));
    expect(id.slice(19)).toBe('bfff-ffffffffffff');
    expect(id.slice(14, 18)).toBe('77ff'); // version 7, counter started at 0x7ff
  });
});
