import { describe, expect, it } from 'vitest';
import { isUuidV7, uuidv7 } from './ids';

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
