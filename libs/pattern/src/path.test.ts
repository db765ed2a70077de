import { describe, expect, it } from 'vitest';
import { isValidPath, resolvePath } from './path';

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
    expect(resolvePath({ a: { 'b.c': 1 } }, ['a', 'b', 'c'])).toEqual({ value: 1, keys: ['a', 'b.c'] });
  });

  it('tries the longest literal key first and falls back to shorter ones when it leads nowhere', () => {
    const record = { 'a.b': { c: 2 }, a: { b: { c: 3, d: 4 } } };
    expect(resolvePath(record, 'a.b.c')).toEqual({ value: 2, keys: ['a.b', 'c'] });
    expect(resolvePath(record, 'a.b.d')).toEqual({ value: 4, keys: ['a', 'b', 'd'] });
    // The same path resolved again gives the same answer (nothing is left over from the last walk).
    expect(resolvePath(record, 'a.b.d')).toEqual({ value: 4, keys: ['a', 'b', 'd'] });
  });

  it('indexes arrays by number only', () => {
    expect(resolvePath({ xs: ['a', 'b'] }, 'xs.1')?.value).toBe('b');
    expect(resolvePath({ xs: ['a', 'b'] }, 'xs.length')).toBeUndefined();
    expect(resolvePath({ xs: ['a', 'b'] }, 'xs.01')).toBeUndefined();
    expect(resolvePath({ xs: [{ n: 'x' }] }, 'xs.0.n')).toEqual({ value: 'x', keys: ['xs', '0', 'n'] });
  });

  it('returns undefined for missing paths, inherited keys and the inside of binary values', () => {
    expect(resolvePath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(resolvePath({}, 'toString')).toBeUndefined();
    expect(resolvePath({ payload: Buffer.from('xy') }, 'payload.0')).toBeUndefined();
  });

  it('accepts only well-formed dotted paths', () => {
    expect(isValidPath('a.b')).toBe(true);
    expect(isValidPath('a..b')).toBe(false);
    expect(isValidPath(' a')).toBe(false);
  });
});
