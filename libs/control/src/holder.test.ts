import { describe, expect, it } from 'vitest';
import { DocumentHolder } from './holder';
import { limitsKind } from './test-kind';

describe('DocumentHolder', () => {
  const initial = { version: 'v1', value: { version: 'v1', limit: 10 } };

  it('swaps in a valid new version and tells its listeners', () => {
    const seen: string[] = [];
    const holder = new DocumentHolder(limitsKind, initial);
    holder.onChange((current) => seen.push(current.version));
    expect(holder.offer({ version: 'v2', limit: 20 }, { source: 'api' })).toMatchObject({
      outcome: 'applied',
      version: 'v2',
    });
    expect(holder.current.value.limit).toBe(20);
    expect(holder.current.origin.source).toBe('api');
    expect(seen).toEqual(['v2']);
  });

  it('never replaces a good document with an invalid one, and reports every problem', () => {
    const rejected: Array<readonly string[]> = [];
    const holder = new DocumentHolder(limitsKind, initial, {
      onRejected: (_k, problems) => rejected.push(problems),
    });
    const result = holder.offer({ version: '', limit: 500 }, { source: 'file', detail: 'limits.json' });
    expect(result).toEqual({
      outcome: 'rejected',
      problems: ['version is empty', 'limit must be in (0, 100]'],
    });
    expect(holder.current.version).toBe('v1');
    expect(rejected).toHaveLength(1);
  });

  it('changes nothing when offered the content already in force, whatever version it names', () => {
    const holder = new DocumentHolder(limitsKind, initial);
    let changes = 0;
    holder.onChange(() => changes++);
    expect(holder.offer({ version: 'v1', limit: 10 }, { source: 'topic' }).outcome).toBe('unchanged');
    expect(changes).toBe(0);
  });

  it('applies new content even under the same version: the control topic, not the label, is the order', () => {
    const holder = new DocumentHolder(limitsKind, initial);
    expect(holder.offer({ version: 'v1', limit: 99 }, { source: 'topic' }).outcome).toBe('applied');
    expect(holder.current.value.limit).toBe(99);
  });
});
