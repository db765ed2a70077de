import { describe, expect, it } from 'vitest';
import { MappingIndex } from './mapping-index';

describe('MappingIndex', () => {
  const index = new MappingIndex([
    { source: '*' },
    { source: 'edr.*' },
    { source: 'edr.falcon.*' },
    { source: 'edr.falcon' },
    { source: '*.audit' },
  ]);

  it('prefers an exact source over any glob', () => {
    expect(index.find('edr.falcon')?.source).toBe('edr.falcon');
  });

  it('prefers the longer glob', () => {
    expect(index.find('edr.falcon.v2')?.source).toBe('edr.falcon.*');
    expect(index.find('edr.defender')?.source).toBe('edr.*');
    expect(index.find('k8s.audit')?.source).toBe('*.audit');
    expect(index.find('anything')?.source).toBe('*');
  });

  it('treats regex characters in sources literally', () => {
    const i = new MappingIndex([{ source: 'a+b.*' }]);
    expect(i.find('a+b.x')).toBeDefined();
    expect(i.find('aab.x')).toBeUndefined();
  });
});
