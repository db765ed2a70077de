import { describe, expect, it } from 'vitest';
import { cloneJson, firstPresent, removeKeys, resolvePath } from './path';

describe('resolvePath', () => {
  it('reads nested and flattened spellings with one path', () => {
    expect(resolvePath({ source: { ip: '1.2.3.4' } }, 'source.ip')).toEqual({
      value: '1.2.3.4',
      keys: ['source', 'ip'],
    });
    expect(resolvePath({ 'source.ip': '1.2.3.4' }, 'source.ip')).toEqual({
      value: '1.2.3.4',
      keys: ['source.ip'],
    });
    expect(resolvePath({ a: { 'b.c': 1 } }, 'a.b.c')).toEqual({ value: 1, keys: ['a', 'b.c'] });
  });

  it('indexes arrays by number only', () => {
    expect(resolvePath({ xs: ['a', 'b'] }, 'xs.1')?.value).toBe('b');
    expect(resolvePath({ xs: ['a', 'b'] }, 'xs.length')).toBeUndefined();
  });

  it('returns undefined for missing paths and inherited keys', () => {
    expect(resolvePath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(resolvePath({}, 'toString')).toBeUndefined();
  });
});

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
