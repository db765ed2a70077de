import { describe, expect, it } from 'vitest';
import { attributesOf } from './attributes';

describe('attributesOf', () => {
  it('gives the same object for the same key and value, so a per-message metric allocates nothing', () => {
    const first = attributesOf('patternmesh.lane', 'critical');
    expect(first).toEqual({ 'patternmesh.lane': 'critical' });
    expect(attributesOf('patternmesh.lane', 'critical')).toBe(first);
    expect(attributesOf('patternmesh.lane', 'bulk')).toEqual({ 'patternmesh.lane': 'bulk' });
    expect(attributesOf('patternmesh.transport', 'critical')).not.toBe(first);
  });

  it('cannot be changed by one caller under the others', () => {
    expect(Object.isFrozen(attributesOf('patternmesh.lane', 'standard'))).toBe(true);
  });
});
