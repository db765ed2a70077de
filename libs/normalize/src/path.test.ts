import { describe, expect, it } from 'vitest';
import { cloneJson, firstPresent, removeKeys } from './path';

describe('firstPresent', () => {
  it('skips missing, null and blank values', () => {
    const hit = firstPresent({ a: null, b: '  ', c: 0 }, ['x', 'a', 'b', 'c']);
    expect(hit).toEqual({ value: 0, keys: ['c'], path: 'c' });
  });
});

describe('removeKeys', () => {
  it('removes a leaf and prunes only the objects it emptied', () => {
    const rec = cloneJson({ net: { src: 'x', dst: 'y' }, keep: {}, other: 1 }) as Record<string, unknown>;
    removeKeys(rec, ['net', 'src']);
    expect(rec).toEqual({ net: { dst: 'y' }, keep: {}, other: 1 });
    removeKeys(rec, ['net', 'dst']);
    expect(rec).toEqual({ keep: {}, other: 1 });
  });

  it('leaves values reached through arrays in place', () => {
    const rec = { xs: [{ a: 1 }] };
    removeKeys(rec, ['xs', '0', 'a']);
    expect(rec).toEqual({ xs: [{ a: 1 }] });
  });
});
