import { randomFillSync } from 'node:crypto';

/** Fills `target` with random bytes; the default is the CSPRNG. */
export type RandomFill = (target: Uint8Array) => void;

export interface UuidV7GeneratorOptions {
  readonly random?: RandomFill;
  /** Random bytes fetched per call of `random`; each id uses 10 (8 for rand_b, 2 for a new millisecond). */
  readonly poolBytes?: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 (RFC 9562) generator: 48-bit Unix milliseconds, a 12-bit counter in `rand_a` (the RFC's
 * "fixed-length dedicated counter", method 1), then 62 random bits. Ids sort by creation time, which
 * keeps subscribers' dedup stores and the archive friendly to range scans, and ids from one generator
 * never go backwards: within a millisecond the counter counts on, and when the clock steps back the
 * last timestamp is kept. Random bits come from a pool refilled in bulk — calling into the CSPRNG for
 * every id cost more than the rest of the id together.
 */
export function createUuidV7Generator(options: UuidV7GeneratorOptions = {}): (now?: number) => string {
  const random = options.random ?? randomFillSync;
  const pool = new Uint8Array(Math.max(64, options.poolBytes ?? 16 * 1024));
  let poolPos = pool.length;
  let lastMs = 0;
  let counter = 0;

  const take = (n: number): number => {
    if (poolPos + n > pool.length) {
      random(pool);
      poolPos = 0;
    }
    const at = poolPos;
    poolPos += n;
    return at;
  };

  return (now: number = Date.now()): string => {
    if (now <= lastMs) {
      // Same millisecond (or the clock stepped back): count on. When the 12-bit counter runs out,
      // borrow the next millisecond rather than wrap, so ids never go backwards.
      counter++;
      if (counter > 0xfff) {
        lastMs++;
        counter = 0;
      }
    } else {
      lastMs = now;
      const at = take(2);
      counter = ((pool[at]! << 8) | pool[at + 1]!) & 0x7ff; // random start, headroom before it runs out
    }
    const r = take(8);
    const ms = lastMs.toString(16).padStart(12, '0');
    return (
      `${ms.slice(0, 8)}-${ms.slice(8)}-${HEX[0x70 | (counter >> 8)]}${HEX[counter & 0xff]}-` +
      `${HEX[0x80 | (pool[r]! & 0x3f)]}${HEX[pool[r + 1]!]}-` +
      `${HEX[pool[r + 2]!]}${HEX[pool[r + 3]!]}${HEX[pool[r + 4]!]}${HEX[pool[r + 5]!]}${HEX[pool[r + 6]!]}${HEX[pool[r + 7]!]}`
    );
  };
}

/** The process's UUIDv7 generator (see `createUuidV7Generator`): monotonic across every caller. */
export const uuidv7: (now?: number) => string = createUuidV7Generator();

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidV7(value: string): boolean {
  return UUID_V7.test(value);
}
